# Northvale Police Federation news site.
# Targets keep the pelican-quickstart vocabulary (INPUTDIR, OUTPUTDIR, CONFFILE, PUBLISHCONF,
# PORT, DEBUG); `make` alone lists them.

PY ?= python3
BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
OUTPUTDIR = $(BASEDIR)/output
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py
PORT ?= 8000
DEBUG ?= 0
RELATIVE ?= 0

VENV = $(BASEDIR)/.venv
PYTHON = $(VENV)/bin/python
PIP_VERSION = 26.3

# Deploy settings may also come from a git-ignored deploy.env, in make syntax, e.g.
# `DEPLOY_TARGET = deploy@news.example:/srv/www/news`; the command line wins over it.
-include $(BASEDIR)/deploy.env
DEPLOY_TARGET ?= $(BASEDIR)/deployed
DEPLOY_SSH_PORT ?=
DEPLOY_KEEP ?= 5
DEPLOY_PORT ?= 8001
DRY_RUN ?= 0
REBUILD ?= 0
RELEASE ?=
BENCH_SIZES ?= 1000,5000
BENCH_PAIRS ?= 3

PELICANOPTS += --fatal warnings --log-handler plain
# Every command is a module of the newsroom package (newsroom/), run from this folder.
BUILD = $(PYTHON) -m newsroom.build
CHECK = $(PYTHON) -m newsroom.check
# Editors' workflow (docs/editing.md): make new, check, status, devserver, hooks.
PREVIEWCONF = $(BASEDIR)/previewconf.py
PREVIEWDIR = $(BASEDIR)/.preview
quote = '$(subst ','"'"',$(value $(1)))'
ifeq ($(DEBUG), 1)
	PELICANOPTS += -D
endif
ifeq ($(RELATIVE), 1)
	PELICANOPTS += --relative-urls
endif
TARGETOPTS = --target "$(DEPLOY_TARGET)" $(if $(DEPLOY_SSH_PORT),--ssh-port $(DEPLOY_SSH_PORT))
# The trial target in the repository is served by `make serve-deployed`, so its pages link
# there rather than to the production SITEURL (set DEPLOY_SITEURL to override).
DEPLOY_SITEURL ?= $(if $(filter $(BASEDIR)/deployed,$(DEPLOY_TARGET)),http://127.0.0.1:$(DEPLOY_PORT))
# DEPLOY_RELOAD (e.g. sudo systemctl reload nginx) is run on the server when a deploy or a
# rollback makes live a release whose redirects differ from the one live before
RELOADOPTS = $(if $(DEPLOY_RELOAD), --reload $(call quote,DEPLOY_RELOAD))
DEPLOYOPTS = $(TARGETOPTS) --keep $(DEPLOY_KEEP)$(if $(DEPLOY_SITEURL), --siteurl \
	$(DEPLOY_SITEURL))$(RELOADOPTS)
ifeq ($(DRY_RUN), 1)
	DEPLOYOPTS += --dry-run
endif
ifeq ($(REBUILD), 1)
	DEPLOYOPTS += --rebuild
endif

.DEFAULT_GOAL := help
.PHONY: bench help html regenerate publish serve devserver clean deploy deploy-setup rollback releases \
	serve-deployed test venv new check status hooks editor

help: ## list the targets
	@echo 'Northvale Police Federation news site. Usage: make <target> [VAR=value]'
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18 | sed 's/^/  /'
	@echo
	@echo 'Variables: DEBUG=1 (verbose build), RELATIVE=1 (relative URLs), PORT=$(PORT),'
	@echo '  DEPLOY_TARGET=$(DEPLOY_TARGET), DEPLOY_SSH_PORT, DEPLOY_KEEP=$(DEPLOY_KEEP), DRY_RUN=1,'
	@echo '  REBUILD=1 (deploy even when nothing changed),'
	@echo '  RELEASE=<id> (deploy settings may also be in deploy.env)'

# The virtual environment is (re)made whenever pyproject.toml changes: pins are exact.
$(VENV)/.site-installed: pyproject.toml
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV) || tools/system-packages python3-venv
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --group site
	@# the newsroom package, editable (setuptools' warnings about editable installs silenced)
	PYTHONWARNINGS=ignore $(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.site-installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --group test
	@touch $@

venv: $(VENV)/.site-installed ## create or update .venv from the pinned dependencies

html: $(VENV)/.site-installed ## check the content, build the site into output/ with pelicanconf.py, index it for search
	@$(BUILD) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" --delete-output-directory $(PELICANOPTS)

regenerate: $(VENV)/.site-installed ## rebuild on every change with plain Pelican (no server, no folder rules of the check)
	$(PYTHON) -m pelican -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

publish: $(VENV)/.site-installed ## check, then build for production (publishconf.py: absolute URLs, feeds)
	@$(BUILD) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" --delete-output-directory $(PELICANOPTS)

serve: $(VENV)/.site-installed ## serve output/ at http://127.0.0.1:PORT/ (8000) with deploy/nginx.conf's security headers
	exec $(PYTHON) -m newsroom.serve --port $(PORT) "$(OUTPUTDIR)"

devserver: $(VENV)/.site-installed ## preview with drafts at http://127.0.0.1:PORT/ (8000); rebuilds and reloads on save
	exec $(PYTHON) -m newsroom.devserver --port $(PORT) --settings "$(PREVIEWCONF)" --output "$(PREVIEWDIR)" "$(INPUTDIR)"

# The web editor (docs/editing.md): Decap CMS and decap-server from npm (package-lock.json).
EDITOR_BACKEND_PORT ?= 8081
# npm writes node_modules/.package-lock.json on each install: the front-end tools are
# installed again from the lockfile whenever it changes.
node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null || tools/system-packages nodejs npm
	npm ci --no-audit --no-fund --loglevel=error

editor: $(VENV)/.site-installed node_modules/.package-lock.json ## write, check, preview and save posts in a browser: http://127.0.0.1:PORT/admin/ (Ctrl-C stops it)
	exec $(PYTHON) -m newsroom.editor "$(INPUTDIR)" --settings "$(PREVIEWCONF)" --port $(PORT) \
		--backend-port $(EDITOR_BACKEND_PORT)

new: $(VENV)/.site-installed ## new draft post: make new TITLE="Pay award announced" [CATEGORY=Pay] [DATE=2025-04-02]
	@$(PYTHON) -m newsroom.new --settings "$(CONFFILE)" --title $(call quote,TITLE) \
		--category $(call quote,CATEGORY) --date $(call quote,DATE) --slug $(call quote,SLUG) "$(INPUTDIR)"

check: $(VENV)/.site-installed ## check every post and page (no build); one line per problem
	@$(CHECK) --settings "$(CONFFILE)" "$(INPUTDIR)"

status: $(VENV)/.site-installed ## list drafts, and scheduled posts with the time each goes live
	@$(PYTHON) -m newsroom.status --settings "$(CONFFILE)" --preview-settings "$(PREVIEWCONF)" \
		--preview-url http://127.0.0.1:$(PORT)/ "$(INPUTDIR)"

hooks: ## install `make check` as this clone's git pre-commit hook (optional)
	@tools/install-hooks

clean: ## remove output/, build folders and the content cache (never content/)
	rm -rf "$(OUTPUTDIR)" "$(BASEDIR)/.deploy-build" "$(PREVIEWDIR)" "$(BASEDIR)/.cache/newsroom"

deploy: $(VENV)/.site-installed ## build with publishconf.py, check it and make it the live release in DEPLOY_TARGET
	@command -v rsync >/dev/null || tools/system-packages rsync
	@$(PYTHON) -m newsroom.deploy deploy $(DEPLOYOPTS) --input "$(INPUTDIR)" --settings "$(PUBLISHCONF)"

deploy-setup: $(VENV)/.site-installed ## prepare DEPLOY_TARGET once for deploys (releases/ and a marker file)
	@$(PYTHON) -m newsroom.deploy setup $(TARGETOPTS)

rollback: $(VENV)/.site-installed ## make the previous release (or RELEASE=<id>) live again
	@$(PYTHON) -m newsroom.deploy rollback $(TARGETOPTS)$(RELOADOPTS)$(if $(RELEASE), --release $(RELEASE))

releases: $(VENV)/.site-installed ## list the releases in DEPLOY_TARGET and which one is live
	@$(PYTHON) -m newsroom.deploy releases $(TARGETOPTS)

serve-deployed: ## serve DEPLOY_TARGET/current with deploy/nginx.conf at http://127.0.0.1:DEPLOY_PORT/ (8001)
	@command -v nginx >/dev/null || tools/system-packages nginx
	$(PY) -m newsroom.deploy.local_nginx "$(DEPLOY_TARGET)" --port $(DEPLOY_PORT)

# Debian packages the tests use: rsync (deploys), Java (Nu HTML Checker), Chromium (axe-core,
# search, screenshots), sshd and nginx (deploys to a real server on 127.0.0.1). Node.js and
# npm (for the npm lockfile: the Nu HTML Checker, axe-core) come from Debian when missing.
TEST_DEB_PACKAGES = rsync default-jre-headless chromium openssh-server nginx

# bench/ (python -m bench): generated sites of BENCH_SIZES posts; bare Pelican and Hugo run in
# their own venv under bench/.venvs/, made once from the pins (issue 11).
bench: $(VENV)/.site-installed ## compare publish, edit-rebuild, devserver and deploy with bare Pelican and Hugo on BENCH_SIZES posts; writes bench/results.md
	@command -v rsync >/dev/null || tools/system-packages rsync
	$(PYTHON) -m bench --sizes $(BENCH_SIZES) --pairs $(BENCH_PAIRS) --flat-sizes 100,$(BENCH_SIZES)

test: $(VENV)/.test-installed ## install what the tests need, then run every test
	tools/system-packages $(TEST_DEB_PACKAGES)
	@command -v npm >/dev/null || tools/system-packages nodejs npm
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) -m pytest $(PYTEST_ARGS)

.PHONY: screenshots snapshots
screenshots: html $(VENV)/.test-installed ## PNGs of home, two articles, a category, search, 404; 375/1280 px, light/dark, in screenshots/
	@tools/system-packages chromium
	$(PYTHON) tools/screenshots.py "$(OUTPUTDIR)" "$(BASEDIR)/screenshots"
snapshots: $(VENV)/.test-installed ## rewrite the snapshot files of the tiny fixture site (tests/fixtures/tiny/snapshots/) after an intended change
	$(PYTHON) -m pytest tests/build/test_snapshots.py --update-snapshots -q
