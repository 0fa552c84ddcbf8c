# The two commands a newcomer needs: `make demo` and `make test`. Everything else is their parts.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
SAMAKI := $(BIN)/samaki

.PHONY: demo test install messages lint pytest serve clean

demo: install messages
	$(SAMAKI) migrate --noinput -v0
	$(SAMAKI) load_gazetteer
	$(SAMAKI) demo
	@echo "Samaki is serving on http://127.0.0.1:8000 (Ctrl-C stops it)."
	$(SAMAKI) runserver 127.0.0.1:8000 --noreload

test: install messages
	scripts/bootstrap --browser
	scripts/run-tests

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/bootstrap
	scripts/bootstrap
	@touch $@

messages: install
	@if [ -d samaki/locale ]; then cd samaki && ../$(SAMAKI) compilemessages -v0; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy samaki
	$(SAMAKI) makemigrations --check --dry-run -v0

clean:
	rm -rf $(VENV) var
