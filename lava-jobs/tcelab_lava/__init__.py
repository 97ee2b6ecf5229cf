"""tcelab's LAVA side: matrix -> job files, lava-run locally, submit, collect.

One module per concern (lava-jobs/README.md):
  errors     the one exception the CLI prints
  yamlpos    YAML loading that remembers line numbers
  matrix     the matrix description and its cells
  generate   cells -> job files (jinja2 templates), LAVA schema validation
  device     device dictionaries for lava-run (qemu, rendered like lava-server)
  runlocal   `lava-run` on this machine, results read back
  lavalog    LAVA's log lines (lava-run stderr, server job logs) -> results
  results    LAVA results -> the suite's result JSON, written atomically
  rest       LAVA REST API v0.2 client (token, paging, retries)
  submit     jobs -> a LAVA server
  collect    a server's or a lava-run folder's results -> result JSON
  cli        `tcelab lava ...`
"""
VERSION = "0.1.0"
