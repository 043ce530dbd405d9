"""Hot spots: a municipality × topic whose week rises well above its own recent weeks
(SPEC, Insight). `detect` is the statistics, `services` the job, the decisions and the
digest, `selectors` what the committee's pages read. docs/HOT_SPOTS.md explains it."""
