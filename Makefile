# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make demo   ingest the reference articles and print the Vietnam–Azerbaijan record
#   make test   run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds
DEMO_DB ?= demo.db

.PHONY: demo test install bench eval model gazetteers clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A C compiler builds src/accord/nlp/_openblas.c (the parser on numpy's OpenBLAS); without one
# accord installs all the same and the parser keeps thinc's BLIS.
$(VENV)/.installed: pyproject.toml src/accord/nlp/_openblas.c $(BIN)/activate
	command -v cc >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null) \
	  || echo "could not install a C compiler: the parser will multiply with thinc's BLIS"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/accord ingest $(SEEDS) --db $(DEMO_DB)
	$(BIN)/accord articles --db $(DEMO_DB)
	$(BIN)/accord relation VNM AZE --db $(DEMO_DB)

# The browser tests drive Debian's chromium (never a downloaded browser).
$(VENV)/.chromium: $(BIN)/activate
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: the browser tests will be skipped"
	if command -v chromium >/dev/null; then touch $@; fi

test: $(VENV)/.installed $(VENV)/.chromium
	$(BIN)/python -m pytest -q

eval: $(VENV)/.installed
	$(BIN)/accord eval plover ../shared/data/plover_gsr_dev.json --baseline tests/eval_baseline.json
	$(BIN)/accord eval articles ../shared/data/articles ../shared/data/articles_gold.jsonl --baseline tests/eval_baseline.json

# Rebuild what accord ships from the data packages and corpora it is built from.
gazetteers: $(VENV)/.installed
	$(BIN)/python -c "from accord.nlp.gazetteer import write_towns; print(write_towns('src/accord/data/towns.tsv'), 'towns')"

model: $(VENV)/.installed
	$(BIN)/accord train

bench: $(VENV)/.installed
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(DEMO_DB) *.egg-info src/*.egg-info
