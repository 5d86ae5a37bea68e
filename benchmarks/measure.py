"""Run a command and print its wall time and its own peak RSS (ru_maxrss of its process tree's
largest process), for benchmarks/run.py: `measure: wall=S rss=BYTES`."""
import resource
import subprocess
import sys
import time

start = time.perf_counter()
result = subprocess.run(sys.argv[1:])
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(f"measure: wall={wall:.3f} rss={rss}")
sys.exit(result.returncode)
