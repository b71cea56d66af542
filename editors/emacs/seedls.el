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
(require 'seq)

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

(defcustom seedls-root-markers '(".seedls")
  "Files or folders that mark a seedls workspace outside version control.
A buffer served by seedls whose file has none of these above it, and
no version-controlled project either, is given the folder Emacs was
started in as its workspace, when the file lies in it (not when that
folder is your home folder, one above it, or /); otherwise Eglot takes
the file's own folder."
  :type '(repeat string))

(defun seedls--too-broad-p (dir)
  "Whether DIR is the home folder, a folder above it, or the root."
  (let ((dir (file-name-as-directory (file-truename dir)))
        (home (file-name-as-directory (file-truename "~"))))
    (or (string-prefix-p dir home) (equal dir "/"))))

(defun seedls-project-find (dir)
  "The workspace of DIR for a buffer seedls serves, when no other finds one.
The nearest folder holding one of `seedls-root-markers'; else the
folder Emacs was started in (`command-line-default-directory') when
DIR lies in it and it is not too broad (see `seedls--too-broad-p').
A folder of exported entity files often has no .git: without this,
Eglot would index only the draft's own folder, and every citation of
an entity elsewhere would be reported unknown.  Returns nil for other
buffers, so that project.el works as before for them."
  (when (or (apply #'derived-mode-p seedls-modes) (derived-mode-p 'text-mode))
    (let ((marked (seq-some (lambda (m) (locate-dominating-file dir m)) seedls-root-markers))
          (start command-line-default-directory))
      (cond
       (marked (cons 'transient (expand-file-name marked)))
       ((and start
             (not (seedls--too-broad-p start))
             (string-prefix-p (file-name-as-directory (file-truename start))
                              (file-name-as-directory (file-truename dir))))
        (cons 'transient (expand-file-name start)))))))

;; After project.el's own (version control): depth 90.
(add-hook 'project-find-functions #'seedls-project-find 90)

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
