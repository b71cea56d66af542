-- The only configuration the headless test loads: this plugin on the
-- runtimepath, filetype detection, no swap or shada files.
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ':p:h:h')
vim.opt.runtimepath:prepend(plugin_dir)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.opt.more = false
vim.cmd('filetype plugin indent on')
vim.opt.showmode = false
vim.opt.shortmess:append('c')
