"""The parts of benchmarks/run.py: running cases, making inputs, the peers, the profile, the targets."""
