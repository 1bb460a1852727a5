"""`make bench`: measure the build against bare Pelican, bare Pelican with typogrify and Hugo
on the same generated posts, and write `bench/results.md` (issue 11).

Modules: `posts` (the seeded posts in our front-matter format, and the copies for bare
Pelican and Hugo), `venvs` (the cached virtual environment of the outside tools), `measure`
(one command in its own process: wall, CPU and peak memory from `os.wait4`), `runs` (the
alternated rounds, edit-rebuild, devserver, deploy), `profile` (one cProfile of a publish
build, by area), `report` (the tables and the results file), `cli` (the command line).
Timings live here, never in tests (conventions.md, "Tests" 6).
"""
