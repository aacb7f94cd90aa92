package mail_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"masthead"
)

// TestCatalogueHasEveryMailID checks that every message ID declared for
// email has English text.
func TestCatalogueHasEveryMailID(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../message_en_mail.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if typ, ok := spec.Type.(*ast.Ident); !ok || typ.Name != "MessageID" {
			return true
		}
		for _, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok {
				continue
			}
			id, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			n++
			if !masthead.HasMsg(masthead.MessageID(id)) {
				t.Errorf("message ID %q has no English text", id)
			}
		}
		return true
	})
	if n == 0 {
		t.Fatal("found no message IDs in message_en_mail.go")
	}
	t.Logf("%d mail message IDs", n)
}
