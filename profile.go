//go:build benchprofile

package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// profileDirEnv names the folder that receives a CPU profile and an allocation profile
// per provider process, cpu-PID.pprof and heap-PID.pprof, in builds with the
// benchprofile tag. The profiles are written when Terraform stops the provider, and
// the benchmark script sets the variable when PROFILE is set.
const profileDirEnv = "CRESCENDO_PROFILE_DIR"

func init() {
	dir := os.Getenv(profileDirEnv)
	if dir == "" {
		return
	}
	cpu, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		log.Fatalf("creating the CPU profile failed: %v", err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Fatalf("starting the CPU profile failed: %v", err)
	}
	stopProfiling = func() {
		pprof.StopCPUProfile()
		cpu.Close()
		heap, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid())))
		if err != nil {
			log.Printf("creating the heap profile failed: %v", err)
			return
		}
		defer heap.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(heap, 0); err != nil {
			log.Printf("writing the heap profile failed: %v", err)
		}
	}
}
