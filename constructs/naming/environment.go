package naming

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tapstack/infra/internal/text"
)

// MaxEnvironmentLength bounds environment names so that stack names, state keys and
// readable resource names stay short. Longer physical names are still shortened by Fit.
const MaxEnvironmentLength = 32

// MaxProjectLength bounds the project prefix ("lms").
const MaxProjectLength = 12

// DefaultProject is the project prefix used when Options.Project is empty.
const DefaultProject = "lms"

var (
	envPattern     = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	projectPattern = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	prPattern      = regexp.MustCompile(`^pr[0-9]+$`)
	platformName   = regexp.MustCompile(`^platform(-[a-z0-9-]+)?$`)
	stampPattern   = regexp.MustCompile(`^[0-9]{6}$`)
)

// IsPullRequest reports whether name is a pull-request environment: "pr" followed by one
// or more digits and nothing else. "prod", "pr", "pr12a", "PR12" and "preview" are not.
func IsPullRequest(name string) bool { return prPattern.MatchString(name) }

// IsPlatform reports whether name is a platform environment: "platform" or
// "platform-<name>", the shared infrastructure that application environments attach
// to. An application environment never has such a name, so that a platform and an
// application environment never build the same physical name.
func IsPlatform(name string) bool { return platformName.MatchString(name) }

// ValidateEnvironmentName checks an environment name against the environment rules.
func ValidateEnvironmentName(name string) error {
	switch {
	case name == "":
		return errors.New("environment name is empty")
	case utf8.RuneCountInString(name) > MaxEnvironmentLength:
		return fmt.Errorf("environment name %s is %d characters, over the limit of %d", text.Quote(name), utf8.RuneCountInString(name), MaxEnvironmentLength)
	case !envPattern.MatchString(name):
		return fmt.Errorf("environment name %s must match ^[a-z][a-z0-9-]*$ (a lowercase letter, then lowercase letters, digits and '-')", text.Quote(name))
	case name[len(name)-1] == '-':
		return fmt.Errorf("environment name %q must not end with '-'", name)
	case strings.Contains(name, "--"):
		return fmt.Errorf("environment name %q must not contain '--' (cache names forbid it)", name)
	}
	return nil
}

// ValidateTimestamp checks a pinned PR timestamp suffix: exactly six digits.
func ValidateTimestamp(stamp string) error {
	if !stampPattern.MatchString(stamp) {
		return fmt.Errorf("PR timestamp suffix %s must be exactly 6 digits", text.Quote(stamp))
	}
	return nil
}

// TimestampAt returns the PR timestamp suffix for t: unix seconds modulo 10^6, as six
// zero-padded digits (also for a time before 1970, which NewEnvironment refuses as a
// clock's reading).
func TimestampAt(t time.Time) string {
	return fmt.Sprintf("%06d", (t.Unix()%1_000_000+1_000_000)%1_000_000)
}

// Options tunes NewEnvironment. The zero value is ready to use.
type Options struct {
	// Project is the prefix of every resource name. Default: "lms". Lowercase letters and
	// digits, starting with a letter, at most MaxProjectLength characters.
	Project string
	// Timestamp pins the 6-digit suffix of a PR environment: every name carries it as a
	// literal, and a changed pin renames everything. Default: "", and then the suffix
	// lives in Terraform state (see Environment.StampKept): Clock gives its value for the
	// first deploy, and later synths keep whatever the first apply stored. Ignored (and
	// not validated) for non-PR environments. A malformed value is an error, never
	// replaced.
	Timestamp string
	// Clock supplies the time of the first-deploy suffix when Timestamp is empty.
	// Default: time.Now.
	Clock func() time.Time
}

// Environment is a validated deployment identity: project, environment name and, for PR
// environments, the timestamp suffix. The zero value is not valid; build one with
// NewEnvironment.
type Environment struct {
	project, name, stamp string
	pinned               bool
}

// NewEnvironment validates name and returns its Environment. Every problem is returned,
// joined, naming the field and the value.
func NewEnvironment(name string, opts Options) (Environment, error) {
	project := opts.Project
	if project == "" {
		project = DefaultProject
	}
	var errs []error
	if err := ValidateEnvironmentName(name); err != nil {
		errs = append(errs, err)
	}
	if len(project) > MaxProjectLength || !projectPattern.MatchString(project) {
		errs = append(errs, fmt.Errorf("project %s must match ^[a-z][a-z0-9]*$ and be at most %d characters", text.Quote(project), MaxProjectLength))
	}
	stamp, pinned := "", false
	if IsPullRequest(name) {
		stamp, pinned = opts.Timestamp, opts.Timestamp != ""
		if stamp == "" {
			clock := opts.Clock
			if clock == nil {
				clock = time.Now
			}
			now := clock()
			if now.Unix() < 0 {
				errs = append(errs, fmt.Errorf("the clock reads %s, before 1970: the PR suffix of %s is drawn from the Unix time; fix the clock or pin the suffix (Options.Timestamp)", now.UTC().Format(time.RFC3339), text.Quote(name)))
			}
			stamp = TimestampAt(now)
		} else if err := ValidateTimestamp(stamp); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Environment{}, err
	}
	return Environment{project: project, name: name, stamp: stamp, pinned: pinned}, nil
}

// MustEnvironment is NewEnvironment that panics on error, for tests and examples.
func MustEnvironment(name string, opts Options) Environment {
	e, err := NewEnvironment(name, opts)
	if err != nil {
		panic(err)
	}
	return e
}

// IsZero reports whether e is the zero Environment (not built by NewEnvironment).
func (e Environment) IsZero() bool { return e.name == "" }

// Project returns the project prefix ("lms").
func (e Environment) Project() string { return e.project }

// Name returns the environment name as given ("pr4892").
func (e Environment) Name() string { return e.name }

// IsPullRequest reports whether e is a PR environment.
func (e Environment) IsPullRequest() bool { return e.stamp != "" }

// IsProduction reports whether e is "prod" or "production".
func (e Environment) IsProduction() bool { return e.name == "prod" || e.name == "production" }

// Timestamp returns the PR timestamp suffix, or "" for a non-PR environment: the pin,
// or, when the suffix is kept in state (StampKept), the value for the first deploy.
func (e Environment) Timestamp() string { return e.stamp }

// StampKept reports whether e is a PR environment without a pinned suffix. Its suffix
// then lives in Terraform state: the constructs store Timestamp in a terraform_data
// resource at the first apply, ignore later values, and write a reference to the stored
// value into every name (Identity.WithStampRef). A later synth, from another push,
// process or machine, keeps the names; after a destroy, the next deploy stores a new
// suffix.
func (e Environment) StampKept() bool { return e.stamp != "" && !e.pinned }

// ID returns the environment part of resource names: the name, plus "-" and the
// timestamp for a PR environment ("pr4892-123456").
func (e Environment) ID() string {
	id, _ := e.idAndStamp()
	return id
}

// idAndStamp returns ID and the offset of the suffix in it when the suffix is kept in
// state (-1 otherwise).
func (e Environment) idAndStamp() (string, int) {
	switch {
	case e.stamp == "":
		return e.name, -1
	case e.pinned:
		return e.name + "-" + e.stamp, -1
	}
	return e.name + "-" + e.stamp, len(e.name) + 1
}

// Prefix returns "<project>-<ID>" ("lms-pr4892-123456"), the stem of names that have no
// purpose word, such as the log group "/ecs/lms-stage". See Identity.Prefix.
func (e Environment) Prefix() string { return Identity{env: e}.Prefix() }

// Label returns "<project>-<purpose>-<ID>" unchecked, for Name tags and descriptions.
// See Identity.Label.
func (e Environment) Label(purpose string) string { return Identity{env: e}.Label(purpose) }

// Resource returns the name "<project>-<purpose>-<ID>" fitted to kind ("lms-alb-stage"),
// the name of the default instance; the purpose word says what the resource is ("alb",
// "tg", "redis"). Account-wide kinds need a region: use Identity. See Identity.Resource.
func (e Environment) Resource(k Kind, purpose string) (string, error) {
	return Identity{env: e}.Resource(k, purpose)
}

// Path returns the path-style name "<project>/<ID>/<purpose>" fitted to kind
// ("lms/pr4892-123456/db-credentials"). See Identity.Path.
func (e Environment) Path(k Kind, purpose string) (string, error) {
	return Identity{env: e}.Path(k, purpose)
}

// StackName returns base followed by the environment name ("TapStackstage"). It never
// carries the PR timestamp, so the stack is the same across re-synths.
func (e Environment) StackName(base string) string { return base + e.name }

// StateKey returns the remote state key "<name>/<stackID>.tfstate" of the stack
// defined under stackID ("stage/TapStackstage.tfstate"). It never carries the PR
// timestamp.
func (e Environment) StateKey(stackID string) string {
	return e.name + "/" + stackID + ".tfstate"
}

// Tags returns the standard tags: Project, Environment and ManagedBy.
func (e Environment) Tags() map[string]string {
	return map[string]string{"Project": e.project, "Environment": e.name, "ManagedBy": "cdktf"}
}

// String returns ID.
func (e Environment) String() string { return e.ID() }
