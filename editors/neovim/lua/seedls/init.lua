-- seedls for Neovim 0.7+: starts `seedls serve` for Markdown, LaTeX and text
-- buffers, one client per project root, and adds :SeedlsRestart and
-- :SeedlsStatus. Every feature (diagnostics, hover, definition, completion)
-- is the server's; this file only starts it and attaches buffers.
--
-- The root of a file, the folder the server indexes (see find_root):
--   1. the nearest folder, from the file's own upwards, holding a root
--      marker (.git, .seedls);
--   2. else the current directory, when the file lies in it or below it,
--      unless that directory is $HOME, a folder above $HOME, or / (nvim
--      started in ~ must not index the whole home folder);
--   3. else the file's own folder.
-- Rule 2 is for a folder of exported entity files without .git: nvim started
-- in `notes/` and `notes/drafts/d.md` opened gives `notes/`, so the citations
-- of the entity files in `notes/seeds/` resolve.
--
--   require('seedls').setup({
--     cmd = { 'seedls', 'serve' },
--     filetypes = { 'markdown', 'tex', 'plaintex', 'text' },
--     root_markers = { '.git', '.seedls' },
--     settings = { seedls = { completion = { limit = 100 } } },
--     on_attach = function(client, bufnr) end,
--     capabilities = nil, -- e.g. require('cmp_nvim_lsp').default_capabilities()
--   })

local M = {}

local NAME = 'seedls'
local INDEX_STATUS_COMMAND = 'seedls.indexStatus'

local defaults = {
  cmd = { 'seedls', 'serve' },
  filetypes = { 'markdown', 'tex', 'plaintex', 'text' },
  root_markers = { '.git', '.seedls' },
  settings = { seedls = {} },
  on_attach = nil,
  capabilities = nil,
  -- Set 'omnifunc' to require('seedls').omnifunc in attached buffers (CTRL-X CTRL-O).
  omnifunc = true,
  -- Extra fields for vim.lsp.start / vim.lsp.start_client (flags, handlers, ...).
  client_config = {},
}

M.config = vim.deepcopy(defaults)

local has_start = vim.fn.has('nvim-0.8') == 1 and vim.lsp.start ~= nil
-- From 0.11 the client's functions are methods (client:stop()); before, closures (client.stop()).
local method_style = vim.fn.has('nvim-0.11') == 1

-- Neovim 0.7 does not reuse clients itself: root_dir -> client id.
local clients_by_root = {}
-- root_dir -> how find_root chose it, for :SeedlsStatus.
local root_how = {}
local warned_missing = false

local function call(client, name, ...)
  if method_style then
    return client[name](client, ...)
  end
  return client[name](...)
end

-- Scheduled: an error notification must not abort the command or autocmd
-- that led to it.
local function notify(msg, level)
  vim.schedule(function()
    vim.notify('seedls: ' .. msg, level or vim.log.levels.INFO)
  end)
end

local function is_dir(path)
  local stat = vim.loop.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ':h')
  if p == dir then
    return nil
  end
  return p
end

local function realpath(path)
  return vim.loop.fs_realpath(path) or path
end

-- `dir` or the nearest of its parents whose real path is `real`, spelt as
-- in `dir`; nil if none. getcwd() gives real paths, while a path passed to
-- find_root, or $HOME, may be spelt through a symbolic link.
local function ancestor_at(dir, real)
  while dir do
    if realpath(dir) == real then
      return dir
    end
    dir = parent(dir)
  end
  return nil
end

-- True for $HOME and the folders above it, / among them: the current
-- directory is never taken as a root then.
local function too_broad(real_dir)
  if parent(real_dir) == nil then
    return true -- / (or a drive), even when the home folder is unknown
  end
  local home = vim.loop.os_homedir()
  return home ~= nil and home ~= '' and ancestor_at(home, real_dir) ~= nil
end

--- The project root of a file, and how it was chosen ('marker', 'cwd' or
--- 'folder'): the nearest folder, from the file's own upwards, that holds
--- one of the root markers; else `cwd` (default: the current directory) if
--- the file lies in it or below it and it is neither /, $HOME nor above
--- $HOME; else the file's folder.
function M.find_root(path, markers, cwd)
  markers = markers or M.config.root_markers
  path = vim.fn.fnamemodify(path, ':p')
  local start = is_dir(path) and path or vim.fn.fnamemodify(path, ':h')
  start = start:gsub('(.)/+$', '%1')
  local dir = start
  while dir do
    for _, marker in ipairs(markers) do
      if exists(dir .. '/' .. marker) then
        return dir, 'marker'
      end
    end
    dir = parent(dir)
  end
  local real_cwd = realpath(cwd or vim.fn.getcwd())
  if not too_broad(real_cwd) then
    local root = ancestor_at(start, real_cwd)
    if root then
      return root, 'cwd'
    end
  end
  return start, 'folder'
end

--- All running seedls clients (any Neovim version).
function M.get_clients()
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ name = NAME })
  else
    list = vim.lsp.get_active_clients()
  end
  local out = {}
  for _, client in ipairs(list) do
    if client.name == NAME then
      table.insert(out, client)
    end
  end
  return out
end

local function buffer_clients(bufnr)
  local out = {}
  for _, client in ipairs(M.get_clients()) do
    if client.attached_buffers and client.attached_buffers[bufnr] then
      table.insert(out, client)
    end
  end
  return out
end

-- An empty Lua table is sent as a JSON array; the server wants objects.
local function as_object(t)
  if type(t) ~= 'table' or next(t) == nil then
    return vim.empty_dict()
  end
  return t
end

local function client_config(root)
  local cfg = M.config
  local settings = vim.deepcopy(cfg.settings or {})
  settings.seedls = as_object(settings.seedls)
  local user_on_attach = cfg.on_attach
  local user_on_init = cfg.client_config.on_init
  local conf = vim.tbl_extend('force', cfg.client_config, {
    name = NAME,
    cmd = cfg.cmd,
    cmd_cwd = root,
    root_dir = root,
    -- The `seedls` table both as initializationOptions and as the answer to
    -- workspace/configuration (Neovim's default handler reads `settings`).
    init_options = settings.seedls,
    settings = settings,
    capabilities = cfg.capabilities,
    on_init = function(client, result)
      -- Neovim 0.10+ sends it itself; before, clients had to.
      if vim.fn.has('nvim-0.10') == 0 then
        call(client, 'notify', 'workspace/didChangeConfiguration', { settings = settings })
      end
      if user_on_init then
        user_on_init(client, result)
      end
    end,
    on_attach = function(client, bufnr)
      if cfg.omnifunc then
        vim.bo[bufnr].omnifunc = "v:lua.require'seedls'.omnifunc"
      end
      if user_on_attach then
        user_on_attach(client, bufnr)
      end
    end,
  })
  return conf
end

-- Byte index in `line` of a position character in the client's encoding.
local function byteindex(line, character, encoding)
  if encoding == 'utf-8' then
    return math.min(character, #line)
  end
  local ok, idx
  if vim.fn.has('nvim-0.11') == 1 then
    ok, idx = pcall(vim.str_byteindex, line, encoding, character, false)
  else
    ok, idx = pcall(vim.str_byteindex, line, character, encoding == 'utf-16')
  end
  return ok and idx or #line
end

local function documentation_text(doc)
  if type(doc) == 'string' then
    return doc
  elseif type(doc) == 'table' and type(doc.value) == 'string' then
    return doc.value
  end
  return ''
end

--- Turns a completion result into complete-items for the cursor line, and
--- returns the 0-based byte column they start at: the start of the items'
--- textEdit range (the whole id being typed, `claim:` included), else the
--- cursor. Items are kept in the server's order and not filtered again.
function M.complete_items(result, line, lnum, cursor_col, encoding)
  local list = result and (result.items or result) or {}
  local entries, start = {}, cursor_col
  for _, item in ipairs(list) do
    local te = item.textEdit
    local range = te and (te.range or te.insert)
    local word = te and te.newText or item.insertText or item.label
    local s = cursor_col
    if range and range.start.line == lnum then
      s = byteindex(line, range.start.character, encoding)
    end
    start = math.min(start, s)
    table.insert(entries, { item = item, word = word, start = s })
  end
  local matches = {}
  for _, e in ipairs(entries) do
    local item = e.item
    table.insert(matches, {
      -- An item whose edit starts after `start` keeps the text in between.
      word = line:sub(start + 1, e.start) .. e.word,
      abbr = item.label,
      kind = vim.lsp.protocol.CompletionItemKind[item.kind] or '',
      menu = item.detail or '',
      info = documentation_text(item.documentation),
      icase = 1,
      dup = 1,
      empty = 1,
    })
  end
  return matches, start
end

--- 'omnifunc' for seedls buffers (set by setup unless omnifunc = false).
--- It always completes from the start of the server's textEdit range, so
--- `claim:soo<C-x><C-o>` replaces the whole `claim:soo`. (Neovim 0.7's
--- vim.lsp.omnifunc uses that range only for items without a filterText and
--- otherwise filters by the keyword after ':', which leaves nothing.)
function M.omnifunc(findstart, _)
  if findstart ~= 1 then
    return {}
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = buffer_clients(bufnr)[1]
  if not client then
    return -3 -- leave completion mode silently
  end
  local encoding = client.offset_encoding or 'utf-16'
  local cursor = vim.api.nvim_win_get_cursor(0)
  local lnum, col = cursor[1] - 1, cursor[2]
  local line = vim.api.nvim_get_current_line()
  local params = vim.lsp.util.make_position_params(0, encoding)
  call(client, 'request', 'textDocument/completion', params, function(err, result)
    if err or not result or vim.fn.mode() ~= 'i' then
      return
    end
    local now = vim.api.nvim_win_get_cursor(0)
    if vim.api.nvim_get_current_buf() ~= bufnr or now[1] - 1 ~= lnum or now[2] ~= col then
      return -- the cursor moved on while the server answered
    end
    local matches, start = M.complete_items(result, line, lnum, col, encoding)
    vim.fn.complete(start + 1, matches)
  end, bufnr)
  return -2 -- the matches come later, through complete()
end

local function reuse(client, conf)
  return client.name == conf.name and client.config.root_dir == conf.root_dir and not call(client, 'is_stopped')
end

--- Attaches a buffer to the seedls client of its root, starting it if needed.
--- Returns the client id, or nil when the buffer is not a file buffer or the
--- server could not be started.
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name:match('^%a[%w+.-]*://') then
    return nil -- fugitive://, oil://, ...: not a file on disk
  end
  -- The current directory of the buffer's window (:lcd, :tcd), if shown.
  local cwd
  vim.api.nvim_buf_call(bufnr, function()
    cwd = vim.fn.getcwd()
  end)
  local root, how = M.find_root(name ~= '' and name or cwd, nil, cwd)
  root_how[root] = how

  local exe = M.config.cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify(
        string.format(
          '%q not found or not executable. Build it with "make build" in a clone of the seedls repository '
            .. "(or \"make install PREFIX=~/.local\") and pass its path as setup{ cmd = { PATH, 'serve' } }.",
          exe
        ),
        vim.log.levels.ERROR
      )
    end
    return nil
  end

  local conf = client_config(root)
  if has_start then
    -- Neovim 0.8.0's vim.lsp.start attaches the current buffer whatever
    -- opts.bufnr says: make bufnr current while it runs.
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(conf, { bufnr = bufnr, reuse_client = reuse })
    end)
    return id
  end

  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or call(client, 'is_stopped') then
    local user_on_exit = conf.on_exit
    conf.on_exit = function(code, signal, client_id)
      if clients_by_root[root] == client_id then
        clients_by_root[root] = nil
      end
      if user_on_exit then
        user_on_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(conf)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function attach_matching_buffers()
  local fts = {}
  for _, ft in ipairs(M.config.filetypes) do
    fts[ft] = true
  end
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and fts[vim.bo[bufnr].filetype] then
      M.attach(bufnr)
    end
  end
end

--- Stops every seedls client, waits for them to exit (up to 5 s, then they
--- are killed) and starts them again for the open buffers.
function M.restart()
  local running = M.get_clients()
  for _, client in ipairs(running) do
    call(client, 'stop')
  end
  local function all_stopped()
    for _, client in ipairs(running) do
      if not call(client, 'is_stopped') then
        return false
      end
    end
    return true
  end
  if not vim.wait(5000, all_stopped, 50) then
    for _, client in ipairs(running) do
      call(client, 'stop', true)
    end
    vim.wait(1000, all_stopped, 50)
  end
  clients_by_root = {}
  warned_missing = false
  attach_matching_buffers()
  notify(string.format('restarted (%d client%s stopped)', #running, #running == 1 and '' or 's'))
end

-- Why a root was chosen, in words, for :SeedlsStatus.
local function describe_root(root)
  local markers = table.concat(M.config.root_markers, ' or ')
  local how = root_how[root]
  if how == 'marker' then
    return 'holds ' .. markers
  elseif how == 'cwd' then
    return 'the current directory, no ' .. markers .. ' above the file'
  elseif how == 'folder' then
    return "the file's folder, no " .. markers .. ' above it, the current directory not usable: :help seedls-root'
  end
  return 'not started by this plugin'
end

--- Sends workspace/executeCommand `seedls.indexStatus` to the clients of the
--- current buffer (or all seedls clients) and prints each client's root,
--- why it was chosen, and the JSON answer.
--- With `callback`, calls callback(err, result, client) instead of printing.
function M.status(callback)
  local targets = buffer_clients(vim.api.nvim_get_current_buf())
  if #targets == 0 then
    targets = M.get_clients()
  end
  if #targets == 0 then
    notify('not running (open a Markdown, LaTeX or text file, or run :SeedlsRestart)', vim.log.levels.WARN)
    return
  end
  for _, client in ipairs(targets) do
    call(client, 'request', 'workspace/executeCommand', { command = INDEX_STATUS_COMMAND }, function(err, result)
      if callback then
        callback(err, result, client)
      elseif err then
        notify(string.format('%s: %s', INDEX_STATUS_COMMAND, err.message or vim.inspect(err)), vim.log.levels.ERROR)
      else
        local root = client.config.root_dir
        notify(string.format('root %s (%s): %s', root or '?', describe_root(root), vim.fn.json_encode(result)))
      end
    end)
  end
end

function M.setup(opts)
  opts = opts or {}
  local cfg = vim.deepcopy(defaults)
  for k, v in pairs(opts) do
    if k == 'settings' or k == 'client_config' then
      cfg[k] = vim.tbl_deep_extend('force', cfg[k], v)
    else
      cfg[k] = v -- lists (cmd, filetypes, root_markers) replace the defaults
    end
  end
  if type(cfg.cmd) == 'string' then
    cfg.cmd = { cfg.cmd, 'serve' }
  end
  M.config = cfg
  warned_missing = false

  local group = vim.api.nvim_create_augroup('seedls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = cfg.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'seedls: attach the language server',
  })
  vim.api.nvim_create_user_command('SeedlsRestart', function()
    M.restart()
  end, { desc = 'Restart the seedls language server' })
  vim.api.nvim_create_user_command('SeedlsStatus', function()
    M.status()
  end, { desc = 'Show the seedls index status' })

  attach_matching_buffers()
end

return M
