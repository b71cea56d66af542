;;; seedls.el --- Use the seedls language server through Eglot  -*- lexical-binding: t; -*-

;; Registers `seedls serve' in `eglot-server-programs' for Markdown, LaTeX
;; and plain text buffers.  Then M-x eglot (or `eglot-ensure' in a mode
;; hook) gives diagnostics, hover (eldoc), go to definition (xref) and
;; completion of entity ids such as claim:some-slug.
;;
;;   (add-to-list 'load-path "/path/to/seedls/editors/emacs")
;;   (require 'seedls)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)   ; optional
;;
;; Settings (the keys of the VS Code extension without "seedls.") go in
;; `eglot-workspace-configuration', for example in .dir-locals.el:
;;   ((nil (eglot-workspace-configuration
;;          . (:seedls (:completion (:limit 100))))))

;;; Code:

(require 'eglot)

(defgroup seedls nil
  "The seedls language server for research knowledge graphs."
  :group 'eglot)

(defcustom seedls-program '("seedls" "serve")
  "The seedls server command line: the program and its arguments.
Use an absolute path when seedls is not on `exec-path'.  Set it
before loading seedls.el, or call `seedls-eglot-register' again."
  :type '(repeat string))

(defcustom seedls-modes
  '(markdown-mode gfm-mode latex-mode LaTeX-mode plain-tex-mode tex-mode)
  "Major modes served by seedls ahead of any other Eglot server.
`text-mode' (entity files are .txt) is registered separately, last,
so that modes derived from it (html-mode, yaml-mode, ...) keep
their own servers."
  :type '(repeat symbol))

(defvar seedls--entries nil
  "The entries `seedls-eglot-register' added to `eglot-server-programs'.")

(defun seedls-eglot-register ()
  "Add seedls to `eglot-server-programs', replacing what it added before."
  (dolist (entry seedls--entries)
    (setq eglot-server-programs (delq entry eglot-server-programs)))
  (setq seedls--entries
        (list (cons seedls-modes (copy-sequence seedls-program))
              (cons 'text-mode (copy-sequence seedls-program))))
  (push (car seedls--entries) eglot-server-programs)
  (setq eglot-server-programs
        (append eglot-server-programs (list (cadr seedls--entries)))))

(seedls-eglot-register)

(provide 'seedls)
;;; seedls.el ends here
