"""Benchmarks (`make bench`): each prints medians and ratios against references run alongside."""
