;;; e2e.el --- Headless test of seedls.el with Eglot and the real server  -*- lexical-binding: t; -*-

;; Run by test/run.sh: emacs --batch -l e2e.el, with SEEDLS_BIN (the server)
;; and SEEDLS_TEST_DIR (a temporary project without any marker, where Emacs
;; was started, holding a copy of seeds/).  Opens seeds/draft.md, starts Eglot as `eglot-ensure' does,
;; waits for the unknown citation among Flymake's diagnostics, asks for a
;; hover and jumps to a definition with xref.  Exit status 0 on success.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defconst seedls-test--here (file-name-directory (or load-file-name buffer-file-name)))
(defconst seedls-test--bin (or (getenv "SEEDLS_BIN") (error "SEEDLS_BIN is not set")))
(defconst seedls-test--project
  (file-name-as-directory (or (getenv "SEEDLS_TEST_DIR") (error "SEEDLS_TEST_DIR is not set"))))

(defconst seedls-test--known
  "claim:soo-fine-tuning-significantly-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance")
(defconst seedls-test--unknown "claim:soo-works-on-sleeper-agents")
(defconst seedls-test--title "SOO fine-tuning significantly reduces deceptive behavior")
(defconst seedls-test--entity-file "001_4aa8ef8dd5eaa303.txt")

(defvar seedls-program)                 ; seedls.el, loaded by `seedls-test--run'
(defvar seedls-test--passed 0)
(defvar seedls-test--step "(setup)")
(defvar seedls-test--start (float-time))

(defun seedls-test--out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun seedls-test--fail (fmt &rest args)
  (signal 'error (list (apply #'format fmt args))))

(defun seedls-test--wait (what timeout pred)
  "Poll PRED every 50 ms, letting timers and the server run, until it
returns non-nil (returned); fail with WHAT after TIMEOUT seconds."
  (let ((deadline (+ (float-time) timeout)) value)
    (while (and (not (setq value (ignore-errors (funcall pred))))
                (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (sit-for 0))
    (or value (seedls-test--fail "timed out after %ss waiting for %s" timeout what))))

(defmacro seedls-test--step (name &rest body)
  (declare (indent 1))
  `(let ((t0 (float-time)))
     (setq seedls-test--step ,name)
     ,@body
     (setq seedls-test--passed (1+ seedls-test--passed))
     (seedls-test--out "ok %d - %s (%.2fs)" seedls-test--passed ,name (- (float-time) t0))))

(defun seedls-test--diagnostic (needle)
  (cl-find-if (lambda (d) (string-match-p (regexp-quote needle) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(defun seedls-test--run ()
  (setq seedls-program (list seedls-test--bin "serve"))
  (load (expand-file-name "../seedls.el" seedls-test--here) nil t)
  (let (draft)
    (seedls-test--step "open seeds/draft.md and eglot-ensure"
      (find-file (expand-file-name "seeds/draft.md" seedls-test--project))
      (setq draft (current-buffer))
      (unless (derived-mode-p 'markdown-mode 'text-mode)
        (text-mode))                    ; no markdown-mode installed
      (seedls-test--out "# draft.md in %s" major-mode)
      (eglot-ensure)
      ;; eglot-ensure connects from post-command-hook, after the command
      ;; that opened the file; batch mode has no command loop.
      (run-hooks 'post-command-hook)
      (let ((server (seedls-test--wait "an Eglot server for draft.md" 15
                                       (lambda () (eglot-current-server)))))
        (unless (equal (file-name-as-directory (expand-file-name (project-root (eglot--project server))))
                       (file-name-as-directory (expand-file-name seedls-test--project)))
          (seedls-test--fail "project root is %s, want %s"
                             (project-root (eglot--project server)) seedls-test--project))
        (unless (bound-and-true-p eglot--managed-mode)
          (seedls-test--fail "draft.md is not managed by Eglot"))))

    (seedls-test--step "Flymake shows the unknown citation"
      (let ((d (seedls-test--wait (format "a Flymake diagnostic mentioning %s" seedls-test--unknown) 20
                                  (lambda ()
                                    (flymake-start)
                                    (seedls-test--diagnostic seedls-test--unknown)))))
        ;; Until the workspace is indexed every citation may be unknown:
        ;; wait for the settled state, with line 4 (a known id) clean.
        (seedls-test--wait "no Flymake diagnostic on line 4 (a known id)" 10
                           (lambda ()
                             (flymake-start)
                             (not (cl-find-if (lambda (x) (= (line-number-at-pos (flymake-diagnostic-beg x)) 4))
                                              (flymake-diagnostics)))))
        (unless (= (line-number-at-pos (flymake-diagnostic-beg d)) 16)
          (seedls-test--fail "diagnostic on line %d, want 16" (line-number-at-pos (flymake-diagnostic-beg d))))
        (unless (eq (flymake-diagnostic-type d) 'eglot-error)
          (seedls-test--fail "diagnostic type %s, want eglot-error" (flymake-diagnostic-type d)))))

    (seedls-test--step "hover on the first citation shows the claim title"
      (goto-char (point-min))
      (forward-line 3)
      (unless (looking-at (concat "result, " (regexp-quote seedls-test--known)))
        (seedls-test--fail "line 4 does not start with the citation: %s"
                           (buffer-substring (point) (line-end-position))))
      (forward-char (+ 8 10))
      (let* ((server (eglot--current-server-or-lose))
             (text ""))
        (seedls-test--wait "a hover with the claim title" 10
                           (lambda ()
                             (let* ((hover (jsonrpc-request server :textDocument/hover
                                                            (eglot--TextDocumentPositionParams)))
                                    (contents (plist-get hover :contents)))
                               (setq text (if (stringp contents) contents (or (plist-get contents :value) "")))
                               (string-match-p (regexp-quote seedls-test--title) text))))))

    (seedls-test--step (format "xref go to definition opens %s at the id line" seedls-test--entity-file)
      (let ((id (xref-backend-identifier-at-point 'eglot)))
        (xref-find-definitions id))
      (seedls-test--wait (format "the current buffer to be %s" seedls-test--entity-file) 10
                         (lambda () (equal (file-name-nondirectory (or buffer-file-name ""))
                                           seedls-test--entity-file)))
      (unless (= (line-number-at-pos) 3)
        (seedls-test--fail "point on line %d of %s, want 3" (line-number-at-pos) seedls-test--entity-file))
      (unless (looking-at (regexp-quote seedls-test--known))
        (seedls-test--fail "point is not at the id: %s" (buffer-substring (point) (line-end-position)))))

    (seedls-test--step "seedls.indexStatus answers"
      (with-current-buffer draft
        (let ((status (jsonrpc-request (eglot--current-server-or-lose) :workspace/executeCommand
                                       '(:command "seedls.indexStatus"))))
          (unless (and (numberp (plist-get status :entities)) (>= (plist-get status :entities) 2))
            (seedls-test--fail "index status: %S" status)))))

    (seedls-test--step "the server shuts down"
      (with-current-buffer draft
        (let ((server (eglot--current-server-or-lose)))
          (eglot-shutdown server)
          (seedls-test--wait "the server process to exit" 5
                             (lambda () (not (process-live-p (jsonrpc--process server))))))))))

(condition-case err
    (progn
      (seedls-test--run)
      (seedls-test--out "emacs-e2e: %d passed, 0 failed" seedls-test--passed)
      (seedls-test--out "PASS seedls Eglot e2e: %d steps in %.1fs (Emacs %s, %s)"
                        seedls-test--passed (- (float-time) seedls-test--start) emacs-version
                        (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot")))))
      (kill-emacs 0))
  (error
   (seedls-test--out "FAIL step %d \"%s\": %s" (1+ seedls-test--passed) seedls-test--step
                     (error-message-string err))
   (seedls-test--out "emacs-e2e: %d passed, 1 failed" seedls-test--passed)
   (kill-emacs 1)))

;;; e2e.el ends here
