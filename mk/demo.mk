# demo.mk: the portfolio review, on the sample portfolio or on your own invoices.
#   make demo                          install what is missing (Debian), build ./portfolio.so,
#                                      create sample.db, print the review, write review.html
#   make review CSV=invoices.csv       import a CSV of invoices (header row; columns customer,
#                                      date, amount) into review.db and print the concentration,
#                                      movements and cost-of-dependence parts of the review
#                                      (and review.html)
#       CUSTOMER=CustomerID DATE=InvoiceDate AMOUNT=Revenue   the CSV's column names
#       AMOUNT=Quantity*UnitPrice      an amount that is the product of two columns
#       DATE_FORMAT=%d/%m/%Y           dates not in ISO form (a Python strptime format; a time
#                                      after the date is dropped)
#       DATE_ORDER_CHECKED=1           the day/month order of DATE_FORMAT is right although no
#                                      date in the file proves it (no day above 12)
#       DELIMITER=';'  DELIMITER=tab   the field separator (default: found from the header)
#       DECIMAL=,  DECIMAL=.           the amounts' decimal separator (default: found from each
#                                      amount column's values)
#       AS_OF=2025-06-30 MONTHS=12     the review period (default: the 12 months up to the last date)
#       ENCODING=latin-1               a CSV that is not UTF-8
#       EFFORT=effort.csv              the team's hours per customer (header row; columns
#                                      customer, date, hours and an optional cost), for the
#                                      cost of dependence; read by the same rules
#         EFFORT_CUSTOMER=Client EFFORT_DATE=Day HOURS=Time COST=Expense   its column names
#         HOURLY_COST=85               the cost of an hour that has no cost of its own
#         EFFORT_DATE_FORMAT=%d/%m/%Y EFFORT_DATE_ORDER_CHECKED=1 EFFORT_DELIMITER=';'
#         EFFORT_DECIMAL=, EFFORT_ENCODING=latin-1   as DATE_FORMAT... for the effort file
#   make review DB=my.db               the whole review of an existing database with the tables
#                                      of sql/schema.md
# Outputs can be moved: SAMPLE_DB=..., REVIEW_DB=..., REVIEW_HTML=..., and REVIEW_EXT=path/to/portfolio
# (without suffix) uses an extension built elsewhere.

REVIEW_EXT  ?= ./portfolio
SAMPLE_DB   ?= sample.db
REVIEW_DB   ?= review.db
REVIEW_HTML ?= review.html
CUSTOMER    ?= customer
DATE        ?= date
AMOUNT      ?= amount
EFFORT_CUSTOMER ?= customer
EFFORT_DATE ?= date
HOURS       ?= hours
PYTHON_HOST ?= /usr/bin/python3
SQLITE3     ?= sqlite3

.PHONY: demo review

# Debian packages first: when a goal below is asked for, make includes this stamp, so a
# missing stamp runs tests/install-deps.sh before anything is compiled, and make then
# re-reads the Makefile, whose pkg-config look-ups now find what was just installed.
DEPS_STAMP := $(BUILD)/.debian-packages.mk
ifneq ($(filter demo review test,$(MAKECMDGOALS)),)
include $(DEPS_STAMP)
endif
$(DEPS_STAMP): tests/install-deps.sh
	bash tests/install-deps.sh
	@mkdir -p $(dir $@)
	@echo '# tests/install-deps.sh found every Debian package it lists' > $@

# Written under another name and renamed, so an interrupted build never leaves half a database.
$(SAMPLE_DB): sql/sample.sql
	rm -f $@.tmp
	$(SQLITE3) -bail $@.tmp < sql/sample.sql
	mv -f $@.tmp $@

demo: $(REVIEW_EXT).so $(SAMPLE_DB)
	$(SQLITE3) -bail -cmd '.load $(REVIEW_EXT)' $(SAMPLE_DB) < sql/review.sql
	@$(PYTHON_HOST) sql/review_html.py --ext '$(REVIEW_EXT)' --db '$(SAMPLE_DB)' \
	  --out '$(REVIEW_HTML)' sql/review.sql
	@echo
	@echo "Wrote $(REVIEW_HTML) (the tables and their charts)."

# The parts of sql/review.sql a CSV review prints (those that read only invoices, and the
# optional effort), in the script's order, between their marker lines.
REVIEW_CSV_PARTS := concentration movements cost-of-dependence
REVIEW_PART = sed -n '/^-- @begin $(1)$$/,/^-- @end $(1)$$/p' sql/review.sql

review: $(REVIEW_EXT).so
ifneq ($(strip $(CSV)),)
	$(PYTHON_HOST) sql/import_csv.py --customer '$(CUSTOMER)' --date '$(DATE)' \
	  --amount '$(AMOUNT)' $(if $(DATE_FORMAT),--date-format '$(DATE_FORMAT)') \
	  $(if $(AS_OF),--as-of '$(AS_OF)') $(if $(MONTHS),--months '$(MONTHS)') \
	  $(if $(ENCODING),--encoding '$(ENCODING)') $(if $(DELIMITER),--delimiter '$(DELIMITER)') \
	  $(if $(DECIMAL),--decimal '$(DECIMAL)') $(if $(DATE_ORDER_CHECKED),--date-order-checked) \
	  '$(CSV)' '$(REVIEW_DB)'
ifneq ($(strip $(EFFORT)),)
	$(PYTHON_HOST) sql/import_effort.py --customer '$(EFFORT_CUSTOMER)' --date '$(EFFORT_DATE)' \
	  --hours '$(HOURS)' $(if $(COST),--cost '$(COST)') \
	  $(if $(HOURLY_COST),--hourly-cost '$(HOURLY_COST)') \
	  $(if $(EFFORT_DATE_FORMAT),--date-format '$(EFFORT_DATE_FORMAT)') \
	  $(if $(EFFORT_DATE_ORDER_CHECKED),--date-order-checked) \
	  $(if $(EFFORT_DECIMAL),--decimal '$(EFFORT_DECIMAL)') \
	  $(if $(EFFORT_ENCODING),--encoding '$(EFFORT_ENCODING)') \
	  $(if $(EFFORT_DELIMITER),--delimiter '$(EFFORT_DELIMITER)') '$(EFFORT)' '$(REVIEW_DB)'
endif
	{ cat sql/review_import.sql; $(foreach p,$(REVIEW_CSV_PARTS),$(call REVIEW_PART,$(p));) } | \
	  $(SQLITE3) -bail -cmd '.load $(REVIEW_EXT)' '$(REVIEW_DB)'
	@$(PYTHON_HOST) sql/review_html.py --first sql/review_import.sql \
	  $(foreach p,$(REVIEW_CSV_PARTS),--part $(p)) \
	  --ext '$(REVIEW_EXT)' --db '$(REVIEW_DB)' --out '$(REVIEW_HTML)' sql/review.sql
	@echo
	@echo "Wrote $(REVIEW_DB) and $(REVIEW_HTML)."
else ifneq ($(strip $(DB)),)
	@[ -f '$(DB)' ] || { echo "make review: no database '$(DB)' (DB= names an existing" \
	  "database with the tables of sql/schema.md; CSV= imports a file)" >&2; exit 2; }
	$(SQLITE3) -bail -cmd '.load $(REVIEW_EXT)' '$(DB)' < sql/review.sql
	@$(PYTHON_HOST) sql/review_html.py --ext '$(REVIEW_EXT)' --db '$(DB)' \
	  --out '$(REVIEW_HTML)' sql/review.sql
	@echo
	@echo "Wrote $(REVIEW_HTML)."
else
	@echo "make review: say what to review: CSV=invoices.csv (columns customer, date, amount;" >&2
	@echo "  other names with CUSTOMER=... DATE=... AMOUNT=...) or DB=a database with the" >&2
	@echo "  tables of sql/schema.md. See mk/demo.mk for the options." >&2
	@exit 2
endif
