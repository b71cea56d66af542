//go:build unix

package lsp_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/seedls/seedls/lsp/lsptest"
)

// TestUnreadableFile: a file the server may not read is reported on that
// file, and the rest of the workspace works. Permissions do not stop root,
// so under root the server runs as nobody.
func TestUnreadableFile(t *testing.T) {
	root := copySeeds(t)
	secret := filepath.Join(root, "secret.md")
	must(t, os.WriteFile(secret, []byte("claim:soo-fine-tuning\n"), 0o000))
	opt := lsptest.Options{Args: []string{"serve"}}
	home := t.TempDir()
	if os.Geteuid() == 0 {
		// nobody must reach the binary, the workspace and its own folders.
		bin := filepath.Join(t.TempDir(), "seedls")
		must(t, exec.Command("cp", seedlsBin, bin).Run())
		for _, d := range []string{filepath.Dir(bin), filepath.Dir(root), root, home} {
			must(t, os.Chmod(d, 0o777))
		}
		opt.Bin = bin
		opt.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	opt.Env = []string{"XDG_CACHE_HOME=" + home, "TMPDIR=" + home, "HOME=" + home}
	c, ctx := start(t, opt)
	if _, err := c.Initialize(ctx, root, nil, nil); err != nil {
		t.Fatal(err)
	}
	ds, err := c.WaitDiagnostics(ctx, lsptest.FileURI(secret), hasDiag("unreadable", "permission denied"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("secret.md: %s", ds[0].Message)
	hoverWorks(t, ctx, c, root)
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}
