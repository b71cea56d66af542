// What a person does in the VS Code workbench, as playwright calls: keys,
// the command palette, and reading what is on screen (tabs, the status bar,
// the Problems panel, hovers, notifications, the suggest and quick fix
// widgets).

import { sleep } from './codeServer.mjs';

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    this.keys = page.keyboard;
  }

  /** Polls `get` until `ok(value)` or the time is up; returns the last value, or throws naming `what`. */
  async until(what, get, ok, ms = 30_000) {
    const deadline = Date.now() + ms;
    let value;
    let error;
    for (;;) {
      try {
        value = await get();
        error = undefined;
        if (ok(value)) return value;
      } catch (err) {
        error = err;
      }
      if (Date.now() > deadline) {
        const seen = error ? `error: ${error.message}` : `last seen: ${JSON.stringify(value, null, 1)?.slice(0, 3000)}`;
        throw new Error(`timed out after ${ms / 1000} s waiting for ${what}; ${seen}`);
      }
      await sleep(250);
    }
  }

  async escape() {
    await this.keys.press('Escape');
  }

  /** F1, the command's title, Enter (once the palette lists it). */
  async runCommand(title) {
    await this.keys.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await this.keys.type(title);
    await this.until(
      `"${title}" in the command palette`,
      () => this.page.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
      (rows) => rows.length > 0 && rows[0].split('\n')[0].trim().startsWith(title),
      10_000,
    );
    await this.keys.press('Enter');
  }

  /** Ctrl+P, the file's name, Enter; waits for its tab. */
  async openFile(name) {
    await this.keys.press('Control+P');
    await this.page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
    await this.keys.type(name);
    await this.until(
      `${name} in quick open`,
      () => this.page.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label'),
      (label) => typeof label === 'string' && label.startsWith(name),
      10_000,
    );
    await this.keys.press('Enter');
    await this.until(`${name} as the active tab`, () => this.activeTab(), (t) => t === name, 10_000);
  }

  /** The active editor tab's file name. */
  async activeTab() {
    const tab = this.page.locator('.tabs-container .tab.active').first();
    return (await tab.getAttribute('data-resource-name', { timeout: 2000 })) ?? '';
  }

  /** Ctrl+G line:column (1-based), then waits for the cursor to be there. */
  async goTo(line, column) {
    await this.keys.press('Control+G');
    await this.page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
    await this.keys.type(`${line}:${column}`);
    await this.keys.press('Enter');
    await this.until(`the cursor at ${line}:${column}`, () => this.cursor(), (c) => c === `Ln ${line}, Col ${column}`, 10_000);
  }

  /** The status bar's cursor position, "Ln 3, Col 1". */
  async cursor() {
    return (await this.page.locator('#status\\.editor\\.selection').innerText({ timeout: 2000 })).trim();
  }

  /** The status bar item with this id suffix (extension items: publisher.name.id). */
  async statusItem(idSuffix) {
    const items = await this.page.$$eval('.statusbar-item', (els) => els.map((e) => ({ id: e.id, text: e.innerText.trim(), visible: e.offsetParent !== null })));
    return items.find((i) => i.id.endsWith(idSuffix));
  }

  /** aria-labels of the Problems panel's rows (the message, its line and the source). */
  async problems() {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  async showProblems() {
    await this.keys.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Ctrl+K Ctrl+I: the hover at the cursor; returns its text. */
  async hover(expect, ms = 20_000) {
    return this.until(
      `a hover containing ${JSON.stringify(expect)}`,
      async () => {
        const hover = this.page.locator('.monaco-hover:visible');
        if ((await hover.count()) === 0) {
          await this.keys.press('Control+K');
          await this.keys.press('Control+I');
          await sleep(500);
        }
        return (await hover.allInnerTexts()).join('\n');
      },
      (text) => expect.every((e) => text.includes(e)),
      ms,
    );
  }

  /** The texts of the notification toasts on screen. */
  async toasts() {
    return this.page.locator('.notifications-toasts .notification-toast:visible').allInnerTexts();
  }

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.until('no notification on screen', () => this.toasts(), (t) => t.length === 0, 10_000);
  }

  /**
   * Sets settings as a person does: the command that opens the settings file
   * (`Preferences: Open Remote Settings (JSON)` for settings of the machine
   * the extension host runs on), the whole text replaced, saved, the editor
   * closed. `file` is where they are on disk, to wait for the save.
   */
  async setSettings(command, settings, file, readFile) {
    // One line: the editor indents after each newline and closes brackets as they are typed,
    // and on one line the typed closing characters step over the ones it added.
    const text = JSON.stringify(settings);
    await this.runCommand(command);
    // It opens in a tab or, in recent versions, in a modal editor: find the editor by its file.
    const editor = this.page.locator(`.monaco-editor[data-uri$="${file.split('/').slice(-2).join('/')}"]`);
    await editor.first().waitFor({ state: 'visible', timeout: 10_000 });
    await editor.first().locator('.view-lines').click();
    await this.keys.press('Control+A');
    await this.keys.press('Delete');
    await this.keys.insertText(text);
    await this.keys.press('Control+S');
    await this.until(`${file} saved`, () => readFile(file), (s) => s.trim() === text, 10_000);
    // A modal editor closes with Escape; an editor in a tab with Close Editor.
    await this.escape();
    await sleep(300);
    if (await editor.first().isVisible()) await this.runCommand('View: Close Editor');
    await editor.first().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Rows of the suggest widget: their labels (first line of each). */
  async suggestions() {
    const rows = await this.page.locator('.suggest-widget.visible .monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({ label: e.querySelector('.label-name')?.textContent ?? '', focused: e.classList.contains('focused') })),
    );
    return rows;
  }

  /** The rows of the code action (quick fix) widget. */
  async codeActions() {
    return this.page.locator('.action-widget .monaco-list-row').allInnerTexts();
  }

  /** Text of the visible editor lines (what is drawn, top to bottom; Monaco draws spaces as no-break spaces). */
  async visibleLines() {
    return (await this.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  }
}
