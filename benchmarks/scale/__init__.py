"""Parts of ``bench_scale.py`` kept in modules of their own (a folder, so that only the scripts
beside it are run as benchmarks)."""
