package graph

// DiagnoseAll diagnoses every file of the snapshot on all CPUs and returns
// the diagnostics sorted by path, then position.
func (s *Snapshot) DiagnoseAll() []Diagnostic {
	var out []Diagnostic
	s.DiagnoseEach(func(_ *File, ds []Diagnostic) { out = append(out, ds...) })
	return out
}

// DiagnoseEach diagnoses every file on all CPUs and calls f for each file
// in path order, a chunk at a time, so that a checker can print as it goes
// instead of holding every diagnostic of a large workspace.
func (s *Snapshot) DiagnoseEach(f func(*File, []Diagnostic)) {
	files := s.Files()
	const chunk = 1024
	per := make([][]Diagnostic, chunk)
	for lo := 0; lo < len(files); lo += chunk {
		part := files[lo:min(lo+chunk, len(files))]
		Parallel(len(part), 0, func(i int) { per[i] = s.Diagnose(part[i]) })
		for i, file := range part {
			f(file, per[i])
			per[i] = nil
		}
	}
}

// Summary counts diagnostics per code and per severity.
type Summary struct {
	Files      int            `json:"files"`
	Entities   int            `json:"entities"`
	Documents  int            `json:"documents"`
	Citations  int            `json:"citations"`
	ByCode     map[Code]int   `json:"byCode"`
	BySeverity map[string]int `json:"bySeverity"`
}

// Counts returns what the snapshot holds (files, entities, documents,
// citations), counted once per snapshot: status requests poll it.
func (s *Snapshot) Counts() Summary {
	s.counts.once.Do(func() { s.counts.sum = s.Summarize(nil) })
	return s.counts.sum
}

// Summarize counts what a snapshot holds and what its diagnostics say;
// more diagnostics can be counted in afterwards with Count.
func (s *Snapshot) Summarize(diags []Diagnostic) Summary {
	sum := Summary{ByCode: map[Code]int{}, BySeverity: map[string]int{}}
	s.files.each(func(_ string, f *File) {
		sum.Files++
		switch f.Kind {
		case EntityFile:
			sum.Entities++
		case DocumentFile:
			sum.Documents++
			for _, c := range f.Citations {
				if s.IsKind(c.Kind()) {
					sum.Citations++
				}
			}
		}
	})
	sum.Count(diags)
	return sum
}

// Count adds diagnostics to the summary's counts.
func (sum *Summary) Count(diags []Diagnostic) {
	for _, d := range diags {
		sum.ByCode[d.Code]++
		sum.BySeverity[d.Severity.String()]++
	}
}
