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
		return fmt.Errorf("CPU %d %s", cpu, notFargateCPU)
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

// notFargateCPU is the reason a CPU value is refused, with the valid values.
var notFargateCPU = func() string {
	var cpus []int
	for c := range fargateMemory {
		cpus = append(cpus, c)
	}
	sort.Ints(cpus)
	valid := make([]string, len(cpus))
	for i, c := range cpus {
		valid[i] = fmt.Sprint(c)
	}
	return "is not a Fargate size (valid: " + strings.Join(valid, ", ") + ")"
}()
