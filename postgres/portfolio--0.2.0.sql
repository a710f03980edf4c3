-- portfolio--0.2.0.sql: the portfolio measures in PostgreSQL (see docs/postgresql.md).
-- Rules:
--   1. Same names, argument order and NULL rules as the SQLite extension.
--   2. Amounts: integer, bigint, numeric, double precision; keys of any type (anyelement).
--   3. Every aggregate is PARALLEL SAFE with COMBINEFUNC/SERIALFUNC/DESERIALFUNC.
\echo Use "CREATE EXTENSION portfolio" to load this file. \quit

CREATE FUNCTION portfolio_version() RETURNS text
  AS 'MODULE_PATHNAME', 'pf_version' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hhi_band(hhi double precision) RETURNS text
  AS 'MODULE_PATHNAME', 'pf_hhi_band' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hhi_band(hhi double precision, edition bigint) RETURNS text
  AS 'MODULE_PATHNAME', 'pf_hhi_band' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION portfolio_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION portfolio_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'pf_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION portfolio_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION herfindahl_final(internal) RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_herfindahl_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION top_share_final(internal) RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_top_share_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION gini_final(internal) RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_gini_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION herfindahl_step(internal, integer) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(integer) (
  SFUNC = herfindahl_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_keyed_step(internal, anyelement, integer) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(anyelement, integer) (
  SFUNC = herfindahl_keyed_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_step(internal, integer, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(integer, bigint) (
  SFUNC = top_share_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_keyed_step(internal, anyelement, integer, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(anyelement, integer, bigint) (
  SFUNC = top_share_keyed_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_step(internal, integer) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(integer) (
  SFUNC = gini_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_keyed_step(internal, anyelement, integer) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(anyelement, integer) (
  SFUNC = gini_keyed_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_step(internal, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(bigint) (
  SFUNC = herfindahl_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_keyed_step(internal, anyelement, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(anyelement, bigint) (
  SFUNC = herfindahl_keyed_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_step(internal, bigint, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(bigint, bigint) (
  SFUNC = top_share_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_keyed_step(internal, anyelement, bigint, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(anyelement, bigint, bigint) (
  SFUNC = top_share_keyed_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_step(internal, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(bigint) (
  SFUNC = gini_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_keyed_step(internal, anyelement, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(anyelement, bigint) (
  SFUNC = gini_keyed_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_step(internal, numeric) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(numeric) (
  SFUNC = herfindahl_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_keyed_step(internal, anyelement, numeric) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(anyelement, numeric) (
  SFUNC = herfindahl_keyed_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_step(internal, numeric, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(numeric, bigint) (
  SFUNC = top_share_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_keyed_step(internal, anyelement, numeric, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(anyelement, numeric, bigint) (
  SFUNC = top_share_keyed_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_step(internal, numeric) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(numeric) (
  SFUNC = gini_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_keyed_step(internal, anyelement, numeric) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(anyelement, numeric) (
  SFUNC = gini_keyed_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_step(internal, double precision) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(double precision) (
  SFUNC = herfindahl_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION herfindahl_keyed_step(internal, anyelement, double precision) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_herfindahl_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE herfindahl(anyelement, double precision) (
  SFUNC = herfindahl_keyed_step, STYPE = internal, FINALFUNC = herfindahl_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_step(internal, double precision, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(double precision, bigint) (
  SFUNC = top_share_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION top_share_keyed_step(internal, anyelement, double precision, bigint) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_top_share_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE top_share(anyelement, double precision, bigint) (
  SFUNC = top_share_keyed_step, STYPE = internal, FINALFUNC = top_share_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_step(internal, double precision) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(double precision) (
  SFUNC = gini_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION gini_keyed_step(internal, anyelement, double precision) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_gini_keyed_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE gini(anyelement, double precision) (
  SFUNC = gini_keyed_step, STYPE = internal, FINALFUNC = gini_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = portfolio_combine, SERIALFUNC = portfolio_serialize,
  DESERIALFUNC = portfolio_deserialize, PARALLEL = SAFE);

CREATE FUNCTION concentration(query text, OUT rank bigint, OUT customer text,
  OUT amount numeric, OUT share double precision, OUT cumulative_share double precision,
  OUT pareto_class text, OUT major integer, OUT hhi_points double precision,
  OUT hhi_without double precision) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'pf_concentration' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

CREATE FUNCTION phase_of(VARIADIC "any") RETURNS text
  AS 'MODULE_PATHNAME', 'pf_phase_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION portfolio_phases(OUT phase text, OUT ordinal integer, OUT objective text)
  RETURNS SETOF record AS 'MODULE_PATHNAME', 'pf_phases_rows' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE VIEW phases AS SELECT * FROM portfolio_phases();

CREATE FUNCTION risk_score(VARIADIC "any") RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_risk_score' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION risk_explain(VARIADIC "any") RETURNS json
  AS 'MODULE_PATHNAME', 'pf_risk_explain' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- VARIADIC needs one argument; SQLite's risk_score() with none is NULL, so these say so too.
CREATE FUNCTION risk_score() RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_risk_score' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION risk_explain() RETURNS json
  AS 'MODULE_PATHNAME', 'pf_risk_explain' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION portfolio_risk_model(OUT factor text, OUT weight double precision,
  OUT curve text, OUT description text)
  RETURNS SETOF record AS 'MODULE_PATHNAME', 'pf_risk_model_rows' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE VIEW risk_model AS SELECT * FROM portfolio_risk_model();
CREATE FUNCTION portfolio_risk_industries(OUT industry text, OUT risk double precision,
  OUT note text)
  RETURNS SETOF record AS 'MODULE_PATHNAME', 'pf_risk_industries_rows' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE VIEW risk_industries AS SELECT * FROM portfolio_risk_industries();

-- risk_fit: learns a scorecard from history (pg_risk_fit.c), arguments as risk_score's.
-- Parallel parts collect rows; the core merges them (the model depends only on the rows).
CREATE FUNCTION risk_fit_step(internal, VARIADIC "any") RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_risk_fit_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION risk_fit_final(internal) RETURNS json
  AS 'MODULE_PATHNAME', 'pf_risk_fit_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION risk_fit_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_risk_fit_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION risk_fit_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'pf_risk_fit_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION risk_fit_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_risk_fit_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE risk_fit(VARIADIC "any") (
  SFUNC = risk_fit_step, STYPE = internal, FINALFUNC = risk_fit_final,
  FINALFUNC_MODIFY = READ_WRITE, COMBINEFUNC = risk_fit_combine,
  SERIALFUNC = risk_fit_serialize, DESERIALFUNC = risk_fit_deserialize, PARALLEL = SAFE);

-- auc / lift: arguments "any", read as the SQLite extension reads them (pg_ranking.c).
CREATE FUNCTION auc_step(internal, "any", "any") RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_auc_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION auc_final(internal) RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_auc_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION lift_step(internal, "any", "any", "any") RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_lift_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION lift_final(internal) RETURNS double precision
  AS 'MODULE_PATHNAME', 'pf_lift_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ranking_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_ranking_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ranking_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'pf_ranking_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ranking_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'pf_ranking_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE auc(score "any", outcome "any") (
  SFUNC = auc_step, STYPE = internal, FINALFUNC = auc_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = ranking_combine, SERIALFUNC = ranking_serialize,
  DESERIALFUNC = ranking_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE lift(score "any", outcome "any", fraction "any") (
  SFUNC = lift_step, STYPE = internal, FINALFUNC = lift_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = ranking_combine, SERIALFUNC = ranking_serialize,
  DESERIALFUNC = ranking_deserialize, PARALLEL = SAFE);
