// Command kicsgate reads a KICS results.json and the reviewed list of accepted findings,
// and fails when a finding of an unaccepted severity is not accepted, or when an
// accepted finding no longer occurs (so the list stays reviewed, not stale).
//
//	kicsgate -results bin/scan/results.json -accepted security/kics-accepted.json -fail CRITICAL,HIGH,MEDIUM
//
// A finding is identified by query ID, resource type and resource name, in one scanned
// variant (the directory under the scan root: stage, prod, pr4892).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Accepted is one reviewed finding.
type Accepted struct {
	QueryID      string   `json:"query_id"`
	QueryName    string   `json:"query_name"`
	Severity     string   `json:"severity"`
	ResourceType string   `json:"resource_type"`
	ResourceName string   `json:"resource_name"`
	Variants     []string `json:"variants"`
	Reason       string   `json:"reason"`
}

type results struct {
	Queries []struct {
		QueryID   string `json:"query_id"`
		QueryName string `json:"query_name"`
		Severity  string `json:"severity"`
		Files     []struct {
			FileName     string `json:"file_name"`
			ResourceType string `json:"resource_type"`
			ResourceName string `json:"resource_name"`
			Line         int    `json:"line"`
		} `json:"files"`
	} `json:"queries"`
	FilesScanned int `json:"files_scanned"`
}

type finding struct {
	severity, queryID, queryName, resourceType, resourceName, variant string
	line                                                              int
}

func (f finding) key() string {
	return f.queryID + "|" + f.resourceType + "|" + f.resourceName + "|" + f.variant
}

func main() {
	resultsPath := flag.String("results", "", "KICS results.json")
	acceptedPath := flag.String("accepted", "", "accepted findings (JSON list)")
	root := flag.String("root", "", "scan root; the first directory below it names the variant")
	failOn := flag.String("fail", "CRITICAL,HIGH,MEDIUM", "severities that must be fixed or accepted")
	wantFiles := flag.Int("files", 1, "minimum number of scanned files (guards against scanning nothing)")
	flag.Parse()
	os.Exit(run(*resultsPath, *acceptedPath, *root, *failOn, *wantFiles, os.Stdout))
}

func run(resultsPath, acceptedPath, root, failOn string, wantFiles int, out io.Writer) int {
	var res results
	var accepted []Accepted
	if err := readJSON(resultsPath, &res); err != nil {
		fmt.Fprintln(out, "kicsgate:", err)
		return 2
	}
	if err := readJSON(acceptedPath, &accepted); err != nil {
		fmt.Fprintln(out, "kicsgate:", err)
		return 2
	}
	if res.FilesScanned < wantFiles {
		fmt.Fprintf(out, "kicsgate: KICS scanned %d files, want at least %d: nothing was checked\n", res.FilesScanned, wantFiles)
		return 1
	}
	gated := map[string]bool{}
	for _, s := range strings.Split(failOn, ",") {
		gated[strings.TrimSpace(strings.ToUpper(s))] = true
	}
	ok := map[string]*Accepted{}
	used := map[string]bool{}
	for i := range accepted {
		a := &accepted[i]
		if strings.TrimSpace(a.Reason) == "" {
			fmt.Fprintf(out, "kicsgate: accepted finding %s %s/%s has no reason\n", a.QueryID, a.ResourceType, a.ResourceName)
			return 1
		}
		for _, v := range a.Variants {
			ok[a.QueryID+"|"+a.ResourceType+"|"+a.ResourceName+"|"+v] = a
		}
	}
	var bad []finding
	counts := map[string]int{}
	for _, q := range res.Queries {
		for _, f := range q.Files {
			fd := finding{q.Severity, q.QueryID, q.QueryName, f.ResourceType, f.ResourceName, variant(root, f.FileName), f.Line}
			counts[q.Severity]++
			if !gated[q.Severity] {
				continue
			}
			if ok[fd.key()] != nil {
				used[fd.key()] = true
				continue
			}
			bad = append(bad, fd)
		}
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].key() < bad[j].key() })
	for _, f := range bad {
		fmt.Fprintf(out, "kicsgate: %s %q (%s) on %s %q in %s, line %d: fix it, or accept it with a reason in %s\n",
			f.severity, f.queryName, f.queryID, f.resourceType, f.resourceName, f.variant, f.line, acceptedPath)
	}
	var stale []string
	for k := range ok {
		if !used[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		fmt.Fprintf(out, "kicsgate: accepted finding %s no longer occurs: remove it from %s\n", k, acceptedPath)
	}
	fmt.Fprintf(out, "kicsgate: %d files; findings by severity %v; %d accepted, %d unaccepted, %d stale\n",
		res.FilesScanned, counts, len(used), len(bad), len(stale))
	if len(bad) > 0 || len(stale) > 0 {
		return 1
	}
	return 0
}

// variant returns the first path element of file below root (both made absolute).
func variant(root, file string) string {
	root, _ = filepath.Abs(root)
	file, _ = filepath.Abs(file)
	rel := strings.TrimPrefix(strings.TrimPrefix(file, root), "/")
	if i := strings.Index(rel, "/"); i > 0 {
		return rel[:i]
	}
	return rel
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
