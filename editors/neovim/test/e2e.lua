-- Headless end-to-end test of the seedls Neovim plugin against the real
-- server, doing what a person does: open a draft, see the diagnostics, hover,
-- go to definition, list what rests on a claim (incoming calls), type an id
-- and complete it, check the status, restart.
--
-- Run by test/run.sh in the workspace folder (the current directory, with no
-- root marker anywhere: no .git, no .seedls), which sets SEEDLS_BIN (the
-- server), SEEDLS_TEST_DRAFT (the draft, a copy of seeds/draft.md, as typed
-- after :edit), SEEDLS_TEST_ROOT (the root its client must get: the
-- workspace folder, which holds the entity files in some other folder than
-- the draft's), SEEDLS_TEST_TMP (a scratch folder) and HOME (a fake one in
-- SEEDLS_TEST_TMP, above the workspace).
-- Each step waits by polling with a timeout; any failure prints what was
-- seen and quits with `cquit 1`; success prints one summary line and `qa!`.
--
-- The steps run in a coroutine that yields to Neovim's main loop while it
-- waits, so keys fed with nvim_feedkeys are typed for real (insert mode,
-- CTRL-X CTRL-O) between steps.

local BIN = assert(os.getenv('SEEDLS_BIN'), 'SEEDLS_BIN is not set')
local DRAFT = assert(os.getenv('SEEDLS_TEST_DRAFT'), 'SEEDLS_TEST_DRAFT is not set')
local ROOT = assert(os.getenv('SEEDLS_TEST_ROOT'), 'SEEDLS_TEST_ROOT is not set')
local TMP = assert(os.getenv('SEEDLS_TEST_TMP'), 'SEEDLS_TEST_TMP is not set')
local MARKERS = { '.git', '.seedls' }
local TOTAL_TIMEOUT_MS = tonumber(os.getenv('SEEDLS_TEST_TIMEOUT_MS') or '') or 50000

local KNOWN_ID = 'claim:soo-fine-tuning-significantly-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance'
local OTHER_ID =
  'claim:soo-fine-tuning-s-focus-on-contrastive-self-and-other-referencing-observations-offers-strong-potential-for-generalization-across-ai-architectures'
local UNKNOWN_ID = 'claim:soo-works-on-sleeper-agents'
local TITLE = 'SOO fine-tuning significantly reduces deceptive behavior'
local ENTITY_FILE = '001_4aa8ef8dd5eaa303.txt'

local uv = vim.loop
local started = uv.hrtime()
local passed, current_step = 0, '(setup)'

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function elapsed(since)
  return (uv.hrtime() - (since or started)) / 1e9
end

local function fail(msg)
  error({ seedls_failure = msg }, 0)
end

local function check(cond, msg, ...)
  if not cond then
    fail(string.format(msg, ...))
  end
  return cond
end

-- Coroutine plumbing -----------------------------------------------------

local co

local function sleep(ms)
  vim.defer_fn(function()
    local ok, err = coroutine.resume(co)
    if not ok then
      error(err) -- cannot happen: the runner catches errors inside
    end
  end, ms)
  coroutine.yield()
end

--- Polls `pred` every 50 ms (yielding to the main loop) until it returns a
--- truthy value, which is returned; fails with `what` after `timeout` ms.
local function wait_for(what, timeout, pred)
  local deadline = uv.hrtime() + timeout * 1e6
  while true do
    local ok, value = pcall(pred)
    if ok and value then
      return value
    end
    if uv.hrtime() > deadline then
      fail(string.format('timed out after %d ms waiting for %s%s', timeout, what, ok and '' or (': ' .. tostring(value))))
    end
    sleep(50)
  end
end

local function feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'n', false)
end

-- LSP helpers ------------------------------------------------------------

local function seedls_clients(bufnr)
  local out_ = {}
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(list) do
    if client.name == 'seedls' then
      table.insert(out_, client)
    end
  end
  return out_
end

local function attached_client(bufnr)
  local clients = seedls_clients(bufnr)
  return #clients == 1 and clients[1].initialized ~= false and clients[1] or nil
end

--- buf_request_sync with one seedls client: returns its result or fails.
local function request(bufnr, method, params, timeout)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout or 5000)
  check(responses, '%s: no answer (%s)', method, tostring(err))
  for _, r in pairs(responses) do
    local e = r.err or r.error
    check(not e, '%s failed: %s', method, vim.inspect(e))
    return r.result
  end
  fail(method .. ': no client answered')
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  local c = result.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, v in ipairs(c) do
    table.insert(parts, type(v) == 'string' and v or v.value or '')
  end
  return table.concat(parts, '\n')
end

local function completion_items(result)
  if not result then
    return {}
  end
  return result.items or result
end

local function position_params(bufnr)
  local client = assert(attached_client(bufnr))
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function diagnostic_messages(bufnr)
  local msgs = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(msgs, string.format('%d:%d %s', d.lnum + 1, d.col + 1, d.message))
  end
  return msgs
end

local function has_diagnostic(bufnr, needle)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.message:find(needle, 1, true) then
      return d
    end
  end
  return nil
end

--- Fails unless `dir` (a root) is the workspace folder ROOT, spelt so that
--- the file `name` lies below it (Neovim names buffers by their real
--- folders: through a link, ROOT's spelling may differ).
local function check_workspace_root(dir, name, what)
  check(
    type(dir) == 'string' and uv.fs_realpath(dir) == uv.fs_realpath(ROOT) and vim.startswith(name, dir .. '/'),
    '%s is %q, want the workspace folder %q (the current directory: no root marker, %s below it)',
    what,
    tostring(dir),
    ROOT,
    name
  )
end

-- The steps --------------------------------------------------------------

local draft -- buffer of DRAFT
local steps = {}

local function step(name, fn)
  table.insert(steps, { name = name, fn = fn })
end

step('no root marker above the workspace or the draft', function()
  -- The defect this test guards against was hidden by an empty .git folder.
  local dir = vim.fn.fnamemodify(DRAFT, ':p:h')
  while true do
    for _, marker in ipairs(MARKERS) do
      check(not uv.fs_stat(dir .. '/' .. marker), '%s/%s exists: the test must run without a root marker', dir, marker)
    end
    local up = vim.fn.fnamemodify(dir, ':h')
    if up == dir then
      break
    end
    dir = up
  end
  -- The layout the test is about: nvim started in the workspace folder, the
  -- draft in a subfolder, the entity files elsewhere in the workspace.
  local path, folder = vim.fn.fnamemodify(DRAFT, ':p'), vim.fn.fnamemodify(DRAFT, ':p:h')
  check(uv.fs_realpath(ROOT) == uv.cwd(), 'nvim runs in %s, not in the workspace %s', uv.cwd(), ROOT)
  check(vim.startswith(path, ROOT .. '/') and folder ~= ROOT, 'the draft %s is not in a subfolder of %s', DRAFT, ROOT)
  check(not uv.fs_stat(folder .. '/' .. ENTITY_FILE), 'the entity files lie beside the draft')
end)

step('setup{} and open the draft', function()
  require('seedls').setup({
    cmd = { BIN, 'serve' },
    -- Checked below: the deprecated hypothesis cited on line 9 is not reported.
    settings = { seedls = { diagnostics = { severity = { ['inactive-reference'] = 'off' } } } },
  })
  vim.cmd('edit ' .. vim.fn.fnameescape(DRAFT))
  draft = vim.api.nvim_get_current_buf()
  check(vim.bo[draft].filetype == 'markdown', 'filetype of draft.md is %q, want markdown', vim.bo[draft].filetype)
end)

step('the client attaches with the workspace folder (the current directory) as root', function()
  local client = wait_for('a seedls client to attach to draft.md and initialize', 15000, function()
    return attached_client(draft)
  end)
  local name = vim.api.nvim_buf_get_name(draft)
  check_workspace_root(client.config.root_dir, name, 'root_dir')
  local root, how = require('seedls').find_root(name)
  check(
    root == client.config.root_dir and how == 'cwd',
    'find_root gives %q (%s), want %q (cwd)',
    tostring(root),
    tostring(how),
    client.config.root_dir
  )
  -- The draft's path as given (in run 2 through a link, which the buffer
  -- name resolves) gets the same folder, spelt as the path spells it.
  local given = vim.fn.fnamemodify(DRAFT, ':p')
  root, how = require('seedls').find_root(given)
  check_workspace_root(root, given, 'find_root(' .. given .. ')')
  check(how == 'cwd', 'find_root(%s) chose %q, want cwd', given, tostring(how))
  check(vim.bo[draft].omnifunc == "v:lua.require'seedls'.omnifunc", 'omnifunc is %q', vim.bo[draft].omnifunc)
end)

local function diagnostics_on_line(bufnr, lnum)
  local out_ = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
    table.insert(out_, d.message)
  end
  return out_
end

step('diagnostics report the two unknown citations, every valid one resolves', function()
  -- Until the workspace is indexed every citation may be unknown: wait for
  -- the settled state, the unknown id reported and line 4 (a known id) clean.
  local d = wait_for('a diagnostic mentioning ' .. UNKNOWN_ID .. ' and none on line 4', 20000, function()
    local found = has_diagnostic(draft, UNKNOWN_ID)
    return found and #diagnostics_on_line(draft, 3) == 0 and found
  end)
  local line = vim.api.nvim_buf_get_lines(draft, d.lnum, d.lnum + 1, false)[1]
  check(line:find(UNKNOWN_ID, 1, true), 'diagnostic on line %d, which does not cite %s: %q', d.lnum + 1, UNKNOWN_ID, line)
  check(d.lnum == 15, 'diagnostic for %s on line %d, want 16', UNKNOWN_ID, d.lnum + 1)
  check(d.severity == vim.diagnostic.severity.ERROR, 'severity %s, want ERROR', tostring(d.severity))
  -- The settings reached the server: inactive-reference is off.
  local line9 = diagnostics_on_line(draft, 8)
  check(#line9 == 0, 'line 9 (a deprecated hypothesis) reported although inactive-reference is off: %s', vim.inspect(line9))
  -- Lines 4, 7, 9, 13 and 14 cite entities of the other folder: only the
  -- misspelt id (line 15) and the one that exists nowhere (line 16) are
  -- reported.
  for _, diag in ipairs(vim.diagnostic.get(draft)) do
    check(
      diag.lnum == 14 or diag.lnum == 15,
      'line %d reported (%s): a valid citation is not resolved; all: %s',
      diag.lnum + 1,
      diag.message,
      vim.inspect(diagnostic_messages(draft))
    )
  end
end)

step('hover on the first citation shows the claim title', function()
  local line = vim.api.nvim_buf_get_lines(draft, 3, 4, false)[1]
  local col = line:find(KNOWN_ID, 1, true)
  check(col == 9, 'line 4 is %q: %s not at column 9', line, KNOWN_ID)
  vim.api.nvim_win_set_cursor(0, { 4, col - 1 + #'claim:' + 3 })
  local text = ''
  wait_for('a hover containing ' .. TITLE, 10000, function()
    text = hover_text(request(draft, 'textDocument/hover', position_params(draft), 5000))
    return text:find(TITLE, 1, true)
  end)
end)

step('go to definition opens ' .. ENTITY_FILE .. ' at the id line', function()
  vim.api.nvim_win_set_cursor(0, { 4, 8 + 10 })
  vim.lsp.buf.definition()
  wait_for('the current buffer to be ' .. ENTITY_FILE .. ' with the cursor on line 3', 10000, function()
    local name = vim.api.nvim_buf_get_name(0)
    return name:sub(-#ENTITY_FILE) == ENTITY_FILE and vim.api.nvim_win_get_cursor(0)[1] == 3
  end)
  local entity = vim.api.nvim_get_current_buf()
  local id_line = vim.api.nvim_buf_get_lines(entity, 2, 3, false)[1]
  check(vim.startswith(id_line, KNOWN_ID), 'line 3 of %s is %q, not the id', ENTITY_FILE, id_line)
  check(vim.bo[entity].filetype == 'text', 'filetype of %s is %q, want text', ENTITY_FILE, vim.bo[entity].filetype)
  -- The entity file is attached to the same client: one client per root.
  local c = wait_for(ENTITY_FILE .. ' to be attached', 5000, function()
    return attached_client(entity)
  end)
  check(c.id == attached_client(draft).id, 'the entity file got client %d, the draft %d', c.id, attached_client(draft).id)
  check(#require('seedls').get_clients() == 1, '%d seedls clients running, want 1', #require('seedls').get_clients())
end)

step('incoming calls on the claim id fill the quickfix list with what rests on it', function()
  -- The cursor is on the id line of ENTITY_FILE (go to definition put it
  -- there). Incoming calls: the finding and the question listing the claim
  -- in a typed group (at their items), the draft citing it (at the
  -- citation); the near duplicate lists it under "Restated by", no edge.
  local entity = vim.api.nvim_get_current_buf()
  check(vim.api.nvim_buf_get_name(entity):sub(-#ENTITY_FILE) == ENTITY_FILE, 'not in %s', ENTITY_FILE)
  vim.api.nvim_win_set_cursor(0, { 3, 4 })
  vim.fn.setqflist({}, 'r', { title = 'before', items = {} })
  vim.lsp.buf.incoming_calls()
  local list = wait_for('the quickfix list of the incoming calls', 10000, function()
    local l = vim.fn.getqflist({ title = 1, items = 1 })
    return l.title == 'LSP call hierarchy' and #l.items > 0 and l
  end)
  local got = {}
  for _, it in ipairs(list.items) do
    local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(it.bufnr), ':t')
    table.insert(got, string.format('%s:%d:%d %s', name, it.lnum, it.col, it.text))
  end
  table.sort(got)
  local want = {
    '003_finding_capabilities.txt:10:3 SOO fine-tuning had negligible impact on Mistral-7B general capabilities',
    '004_question_self_deception.txt:8:3 To what extent does self-deception in AI models affect the effectiveness of SOO fine-tuning?',
    'draft.md:4:9 draft.md',
  }
  check(vim.deep_equal(got, want), 'quickfix list:\n  %s\nwant\n  %s', table.concat(got, '\n  '), table.concat(want, '\n  '))
  -- Back to the entity file's window, the quickfix window closed.
  vim.cmd('cclose')
  check(vim.api.nvim_get_current_buf() == entity, 'after :cclose the current buffer is %q', vim.api.nvim_buf_get_name(0))
end)

step('typing claim:soo offers both seed claims replacing the whole id', function()
  vim.api.nvim_set_current_buf(draft)
  local last = vim.api.nvim_buf_line_count(draft)
  feed('Go- completion: claim:soo')
  local typed = '- completion: claim:soo'
  wait_for('insert mode with the typed line', 5000, function()
    return vim.fn.mode() == 'i' and vim.api.nvim_get_current_line() == typed
  end)
  local lnum = last -- 0-based number of the new line
  local start = #'- completion: ' -- 0-based column of the "c" of claim:soo
  local params = position_params(draft)
  check(
    params.position.line == lnum and params.position.character == #typed,
    'cursor at %s, want line %d character %d',
    vim.inspect(params.position),
    lnum,
    #typed
  )
  local items = {}
  local want = { [KNOWN_ID] = true, [OTHER_ID] = true }
  wait_for('completion items for both seed claims', 10000, function()
    items = completion_items(request(draft, 'textDocument/completion', params, 5000))
    local found = 0
    for _, item in ipairs(items) do
      local te = item.textEdit or {}
      for _, s in ipairs({ item.label, item.filterText, te.newText }) do
        if want[s] then
          found = found + 1
          break
        end
      end
    end
    return found == 2
  end)
  for _, item in ipairs(items) do
    local te = item.textEdit
    check(te, 'item %q has no textEdit', item.label)
    local range = te.range or te.insert
    check(
      range.start.line == lnum and range.start.character == start,
      'textEdit of %q starts at %s, want line %d character %d (the c of claim:soo)',
      item.label,
      vim.inspect(range.start),
      lnum,
      start
    )
    check(range['end'].character == #typed, 'textEdit of %q ends at %s', item.label, vim.inspect(range['end']))
  end
end)

step('CTRL-X CTRL-O completes the id in place', function()
  feed('<C-x><C-o>')
  local words = wait_for('the completion menu', 10000, function()
    local info = vim.fn.complete_info({ 'items' })
    if info.items and #info.items > 0 then
      local words = {}
      for _, it in ipairs(info.items) do
        words[it.word] = true
      end
      return words
    end
  end)
  check(words[KNOWN_ID] and words[OTHER_ID], 'completion menu lacks the seed claims: %s', vim.inspect(vim.tbl_keys(words)))
  -- Select the known claim, accept it and leave insert mode.
  local want_line = '- completion: ' .. KNOWN_ID
  local info = vim.fn.complete_info({ 'items', 'selected' })
  local index -- 0-based, like info.selected (-1: none selected)
  for i, it in ipairs(info.items) do
    if it.word == KNOWN_ID then
      index = i - 1
    end
  end
  local moves = index - info.selected
  feed(string.rep(moves >= 0 and '<C-n>' or '<C-p>', math.abs(moves)) .. '<C-y><Esc>')
  wait_for('the line to read ' .. want_line, 5000, function()
    return vim.fn.mode() == 'n' and vim.api.nvim_get_current_line() == want_line
  end)
  -- The server sees the edit: the new citation resolves (hover on it).
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_win_get_cursor(0)[1], #'- completion: ' + 8 })
  wait_for('a hover on the completed id', 10000, function()
    return hover_text(request(draft, 'textDocument/hover', position_params(draft), 5000)):find(TITLE, 1, true)
  end)
end)

step(':SeedlsStatus shows the root and answers seedls.indexStatus', function()
  local answer
  require('seedls').status(function(err, result)
    answer = { err = err, result = result }
  end)
  wait_for('the seedls.indexStatus answer', 5000, function()
    return answer
  end)
  check(not answer.err, 'seedls.indexStatus failed: %s', vim.inspect(answer.err))
  check(type(answer.result) == 'table', 'seedls.indexStatus answered %s', vim.inspect(answer.result))
  check(
    type(answer.result.entities) == 'number' and answer.result.entities >= 2,
    'index status has %s entities: %s',
    tostring(answer.result.entities),
    vim.fn.json_encode(answer.result)
  )
  -- The command itself prints the JSON through vim.notify.
  local printed
  local orig = vim.notify
  vim.notify = function(msg, ...)
    printed = msg
    return orig(msg, ...)
  end
  vim.cmd('SeedlsStatus')
  local ok, err = pcall(wait_for, ':SeedlsStatus to print', 5000, function()
    return printed
  end)
  vim.notify = orig
  check(ok, '%s', tostring(err and (type(err) == 'table' and err.seedls_failure or err)))
  check(printed:find('"entities"', 1, true), ':SeedlsStatus printed %q', printed)
  local want = 'root ' .. attached_client(draft).config.root_dir .. ' (the current directory, '
  check(printed:find(want, 1, true), ':SeedlsStatus printed %q, not %q', printed, want)
end)

step(':SeedlsRestart starts a new client that reports again', function()
  local old = attached_client(draft).id
  vim.cmd('SeedlsRestart')
  local client = wait_for('a new client attached to draft.md', 15000, function()
    local c = attached_client(draft)
    return c and c.id ~= old and c
  end)
  check(#require('seedls').get_clients() == 1, '%d seedls clients after restart, want 1', #require('seedls').get_clients())
  wait_for('the unknown citation to be reported again', 20000, function()
    return has_diagnostic(draft, UNKNOWN_ID)
  end)
  check_workspace_root(client.config.root_dir, vim.api.nvim_buf_get_name(draft), 'root_dir after restart')
end)

step('a file outside the current directory gets its own client, rooted at its folder', function()
  local other = vim.fn.fnamemodify(ROOT, ':h') .. '/elsewhere'
  vim.fn.mkdir(other, 'p')
  vim.fn.writefile({ 'A note citing ' .. KNOWN_ID .. '.' }, other .. '/note.md')
  vim.cmd('edit ' .. vim.fn.fnameescape(other .. '/note.md'))
  local note = vim.api.nvim_get_current_buf()
  local c = wait_for('a client for note.md', 10000, function()
    return attached_client(note)
  end)
  check(c.config.root_dir == other, 'root_dir of note.md is %q, want %q', tostring(c.config.root_dir), other)
  check(c.id ~= attached_client(draft).id, 'note.md shares the client of draft.md')
  check(#require('seedls').get_clients() == 2, '%d seedls clients, want 2', #require('seedls').get_clients())
  -- Its own workspace has no entity files: the citation is unknown there.
  wait_for('the citation in note.md to be reported unknown', 10000, function()
    return has_diagnostic(note, KNOWN_ID)
  end)
  vim.api.nvim_set_current_buf(draft)
end)

step('the current directory is no root when it is $HOME, above it or /', function()
  local home = TMP .. '/home'
  check(uv.os_homedir() == home, '$HOME is %q, want the fake %q', tostring(uv.os_homedir()), home)
  local back = vim.fn.getcwd()
  local link = TMP .. '/home-link'
  uv.fs_unlink(link) -- left by the other run
  check(uv.fs_symlink(home, link), 'cannot make the link %s', link)
  -- { current directory, file, the root it must get, $HOME if not `home` }
  local cases = {
    { home, home .. '/papers/drafts/d.md', home .. '/papers/drafts' },
    { TMP, home .. '/thesis/drafts/d.md', home .. '/thesis/drafts' }, -- above $HOME
    { '/', TMP .. '/loose/drafts/d.md', TMP .. '/loose/drafts' },
    { home, home .. '/essays/drafts/d.md', home .. '/essays/drafts', link }, -- $HOME spelt through a link
    { home .. '/papers', home .. '/papers/drafts/e.md', home .. '/papers' }, -- below $HOME: taken
  }
  for _, case in ipairs(cases) do
    local cwd, file, want = case[1], case[2], case[3]
    vim.env.HOME = case[4] or home
    vim.fn.mkdir(vim.fn.fnamemodify(file, ':h'), 'p')
    vim.fn.writefile({ 'A note citing ' .. KNOWN_ID .. '.' }, file)
    vim.cmd('cd ' .. vim.fn.fnameescape(cwd))
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    local c = wait_for('a client for ' .. file, 10000, function()
      return attached_client(buf)
    end)
    check(
      c.config.root_dir == want,
      'nvim in %s, $HOME %s, %s: root_dir %q, want %q',
      cwd,
      vim.env.HOME,
      file,
      tostring(c.config.root_dir),
      want
    )
  end
  vim.env.HOME = home
  vim.cmd('cd ' .. vim.fn.fnameescape(back))
  vim.api.nvim_set_current_buf(draft)
end)

step('no error was shown to the user', function()
  check(vim.v.errmsg == '', 'an error message was shown: %q (nvim messages are printed below)', vim.v.errmsg)
end)

step('the server shuts down cleanly', function()
  local clients = require('seedls').get_clients()
  for _, c in ipairs(clients) do
    if vim.fn.has('nvim-0.11') == 1 then
      c:stop()
    else
      c.stop()
    end
  end
  wait_for('the seedls clients to stop', 5000, function()
    return #require('seedls').get_clients() == 0
  end)
end)

-- Runner -----------------------------------------------------------------

local function finish(ok, msg)
  if ok then
    out(string.format('nvim-e2e: %d passed, 0 failed', passed))
    out(string.format('PASS seedls Neovim e2e: %d steps in %.1fs (%s)', passed, elapsed(), tostring(vim.version and vim.version() and string.format('nvim %d.%d.%d', vim.version().major, vim.version().minor, vim.version().patch))))
    vim.cmd('qa!')
  else
    out(string.format('FAIL step %d "%s": %s', passed + 1, current_step, msg))
    if draft and vim.api.nvim_buf_is_valid(draft) then
      out('  diagnostics of draft.md: ' .. vim.inspect(diagnostic_messages(draft)))
    end
    out('  LSP log: ' .. vim.lsp.get_log_path())
    out(string.format('nvim-e2e: %d passed, 1 failed', passed))
    vim.cmd('cquit 1')
  end
end

co = coroutine.create(function()
  for _, s in ipairs(steps) do
    current_step = s.name
    local t = uv.hrtime()
    local ok, err = xpcall(s.fn, function(e)
      if type(e) == 'table' and e.seedls_failure then
        return e.seedls_failure
      end
      return debug.traceback(tostring(e), 2)
    end)
    if ok and vim.v.errmsg ~= '' then
      ok, err = false, string.format('an error message was shown: %q (nvim messages are printed below)', vim.v.errmsg)
    end
    if not ok then
      return finish(false, err)
    end
    passed = passed + 1
    out(string.format('ok %d - %s (%.2fs)', passed, s.name, elapsed(t)))
  end
  finish(true)
end)

vim.defer_fn(function()
  if coroutine.status(co) ~= 'dead' then
    out(string.format('FAIL: the test took over %d ms (at step "%s")', TOTAL_TIMEOUT_MS, current_step))
    out('  LSP log: ' .. vim.lsp.get_log_path())
    vim.cmd('cquit 1')
  end
end, TOTAL_TIMEOUT_MS)

vim.schedule(function()
  local ok, err = coroutine.resume(co)
  if not ok then
    out('FAIL: ' .. tostring(err))
    vim.cmd('cquit 1')
  end
end)
