package lsp

import (
	"encoding/json"
	"fmt"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/scan"
)

// Settings are the server's settings, as editors send them under "seedls"
// (initializationOptions, workspace/configuration, didChangeConfiguration).
type Settings struct {
	Diagnostics struct {
		Severity map[string]string `json:"severity"`
	} `json:"diagnostics"`
	Files struct {
		Include    []string `json:"include"`
		Exclude    []string `json:"exclude"`
		MaxSizeMiB float64  `json:"maxSizeMiB"`
	} `json:"files"`
	Completion struct {
		Limit int `json:"limit"`
	} `json:"completion"`
	InlayHints struct {
		Enable bool `json:"enable"`
	} `json:"inlayHints"`
	LogLevel        string `json:"logLevel"`
	CacheDirectory  string `json:"cacheDirectory"`
	NewEntityFolder string `json:"newEntityFolder"`

	// removed names settings that are set but no longer exist, for a
	// warning rather than silence.
	removed []string
}

func defaultSettings() Settings {
	var s Settings
	s.Completion.Limit = 50
	s.InlayHints.Enable = true
	s.Files.MaxSizeMiB = float64(scan.DefaultMaxSize) / (1 << 20)
	// LogLevel stays empty: the command line's --log-level holds until a
	// setting names one.
	return s
}

// parseSettings reads settings from raw JSON that is either the "seedls"
// object itself or an object holding it under "seedls" (VS Code sends the
// latter with didChangeConfiguration). Absent fields keep their defaults.
func parseSettings(raw json.RawMessage) (Settings, error) {
	s := defaultSettings()
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return s, nil // Neovim sends an empty Lua table as []
	}
	var wrapped struct {
		Seedls json.RawMessage `json:"seedls"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Seedls) > 0 && string(wrapped.Seedls) != "null" {
		raw = wrapped.Seedls
		if string(raw) == "[]" {
			return s, nil
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return defaultSettings(), fmt.Errorf("settings: %w", err)
	}
	// nearDuplicate.similarity was declared and never applied; it is gone
	// (near duplicates are titles one word apart, and the export's
	// "Restated by" lists what its embeddings find alike).
	var gone struct {
		NearDuplicate struct {
			Similarity float64 `json:"similarity"`
		} `json:"nearDuplicate"`
	}
	if json.Unmarshal(raw, &gone) == nil && gone.NearDuplicate.Similarity != 0 {
		s.removed = append(s.removed, "seedls.nearDuplicate.similarity is not a setting (it never had an effect): near duplicates are titles one word apart")
	}
	if s.Completion.Limit <= 0 {
		s.Completion.Limit = 50
	}
	return s, nil
}

// severities turns the severity setting into graph overrides, reporting
// unknown codes and levels rather than failing.
func (s Settings) severities() (graph.Severities, []string) {
	out := graph.Severities{}
	var problems []string
	known := map[graph.Code]bool{}
	for _, c := range graph.Codes {
		known[c.Code] = true
	}
	for code, level := range s.Diagnostics.Severity {
		sev, ok := graph.ParseSeverity(level)
		switch {
		case !known[graph.Code(code)]:
			problems = append(problems, fmt.Sprintf("unknown diagnostic code %q in seedls.diagnostics.severity", code))
		case !ok:
			problems = append(problems, fmt.Sprintf("unknown severity %q for %s", level, code))
		default:
			out[graph.Code(code)] = sev
		}
	}
	return out, problems
}

func (s Settings) scanOptions() scan.Options {
	return scan.Options{
		MaxSize: int64(s.Files.MaxSizeMiB * (1 << 20)),
		Include: s.Files.Include,
		Exclude: s.Files.Exclude,
	}
}
