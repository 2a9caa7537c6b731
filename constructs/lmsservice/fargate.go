package lmsservice

import (
	"fmt"
	"sort"
	"strings"
)

// fargateMemory lists, per CPU unit count, the memory sizes (MiB) Fargate accepts.
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

func steps(from, to, step int) []int {
	var out []int
	for m := from; m <= to; m += step {
		out = append(out, m)
	}
	return out
}

// ValidFargate reports whether cpu (units) and memory (MiB) are a Fargate combination,
// and if not, says which values would be.
func ValidFargate(cpu, memory int) error {
	mems, ok := fargateMemory[cpu]
	if !ok {
		var cpus []string
		for c := range fargateMemory {
			cpus = append(cpus, fmt.Sprint(c))
		}
		sort.Slice(cpus, func(i, j int) bool {
			return len(cpus[i]) < len(cpus[j]) || len(cpus[i]) == len(cpus[j]) && cpus[i] < cpus[j]
		})
		return fmt.Errorf("CPU %d is not a Fargate size (valid: %s)", cpu, strings.Join(cpus, ", "))
	}
	for _, m := range mems {
		if m == memory {
			return nil
		}
	}
	valid := make([]string, len(mems))
	for i, m := range mems {
		valid[i] = fmt.Sprint(m)
	}
	return fmt.Errorf("invalid Memory %d for CPU %d (valid: %s)", memory, cpu, strings.Join(valid, ", "))
}
