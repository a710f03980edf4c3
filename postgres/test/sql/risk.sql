-- risk_score / risk_explain: the SQLite extension's model, rules and messages.
-- 15 significant digits, as SQLite prints REALs: hand-worked values read as written.
SET extra_float_digits = 0;
-- One factor alone carries all the weight, so the score is 100 x its curve.
-- cash_runway_months: 1 at 0, down to 0 at 24 months -> 100, 75, 0, 0
SELECT v, risk_score('cash_runway_months', v) FROM (VALUES (0), (6), (24), (30)) t(v);
-- days_to_renewal: 1 up to 30 days (overdue too), down to 0 at 180 -> 100, 100, 50, 0
SELECT v, risk_score('days_to_renewal', v) FROM (VALUES (-5), (30), (105), (180)) t(v);
-- contract_year 0.3, 0.6, 1.0, 0.6; stakeholders 1 - min(n, 5) / 5
SELECT string_agg(risk_score('contract_year', v)::text, ' ' ORDER BY v) FROM generate_series(1, 5) v;
SELECT string_agg(risk_score('stakeholders', v)::text, ' ' ORDER BY v) FROM (VALUES (0), (1), (5), (6)) t(v);
-- adoption, deployment, penetration: 1 - value; region: the value -> 75, 10, 50, 30
SELECT risk_score('adoption', 0.25), risk_score('deployment', 0.9::float8),
       risk_score('penetration', 0.5::real), risk_score('region', 0.3);
-- industry by name (any case) or as a number; an unlisted industry rates 0.5
SELECT risk_score('industry', 'AVIATION'), risk_score('industry', 'software'::text),
       risk_score('industry', ' basket weaving '::varchar), risk_score('industry', 0.42);
-- Missing factors' weights are spread over the rest:
-- A: (.15*.9 + .15*.7 + .10*.8) / .40 = 80;  B: (.15*.2 + .15*.1 + 0) / .40 = 11.25
-- C: (.15*.5 + .10*1) / .25 = 70;            D: nothing given -> NULL
CREATE TABLE acct(id text, industry text, adoption numeric, renewal int);
INSERT INTO acct VALUES ('A', 'Aviation', 0.3, 60), ('B', 'Healthcare', 0.9, 400),
  ('C', NULL, 0.5, 30), ('D', NULL, NULL, NULL);
SELECT id, risk_score('industry', industry, 'adoption', adoption, 'days_to_renewal', renewal)
  FROM acct ORDER BY id;
-- the argument order changes nothing
SELECT risk_score('days_to_renewal', renewal, 'ADOPTION', adoption, 'Industry', industry)
  FROM acct WHERE id = 'A';
-- weights per call (text, json or jsonb): A = (3*.7 + 1*.9) / 4 = 75; industry 0 -> only adoption: 70
SELECT risk_score('industry', industry, 'adoption', adoption, 'weights', '{"adoption": 3, "industry": 1}'),
       risk_score('industry', industry, 'adoption', adoption, 'weights', '{"industry": 0}'::json),
       risk_score('industry', industry, 'adoption', adoption, 'weights', '{"industry": 0}'::jsonb),
       risk_score('industry', industry, 'adoption', adoption, 'weights', NULL)
  FROM acct WHERE id = 'A';
-- weights that change from row to row are read for each row: 0.9 alone, then 0.7 alone
SELECT w, risk_score('industry', 'aviation', 'adoption', 0.3, 'weights', w)
  FROM (VALUES ('{"adoption": 0}'), ('{"industry": 0}'), ('{"adoption": 0}')) t(w);
-- numbers as text (CSV imports) and booleans (TRUE is 1) work; '' counts as missing
SELECT risk_score('adoption', '0.25', 'region', ''), risk_score('adoption', ' 25e-2 '),
       risk_score('stakeholders', true), risk_score('stakeholders', 5.0);
-- all weights zero: no score
SELECT risk_score('adoption', 0.5, 'weights', '{"adoption": 0}') IS NULL AS no_score,
       risk_score() IS NULL AS nothing;
-- risk_explain: Travel (.9) and adoption .2 (risk .8), weights .15 each, .5 each as applied:
-- contributions 45 and 40, score 85, largest first, the other eight missing
SELECT risk_explain('adoption', 0.2, 'industry', 'Travel');
-- .45 and .15 become .75 and .25: 67.5 + 20 = 87.5; integers stay integers
SELECT risk_explain('adoption', 0.2, 'industry', 'Travel', 'weights', '{"industry": 0.45}');
SELECT risk_explain('stakeholders', 2, 'days_since_contact', 45.0);
-- an industry name with a quote and a control character is escaped in the JSON
SELECT risk_explain('industry', E'Bob''s "bar"\t');
-- no factor or all weights zero: null score, weights and contributions
SELECT risk_explain();
SELECT risk_explain('adoption', 0.5, 'weights', '{"adoption": 0}');
-- the contributions add up to the score, the applied weights to 1
WITH e(j) AS (SELECT risk_explain('industry', 'events', 'adoption', 0.6, 'cash_runway_months', 3,
                                  'days_since_contact', 10))
SELECT abs(sum((f->>'contribution')::float8) - min((j->>'score')::float8)) < 1e-9 AS adds_up,
       round(sum((f->>'weight')::numeric), 12) AS weights
  FROM e, json_array_elements(j->'factors') f;
SELECT factor, weight FROM risk_model ORDER BY factor;
SELECT industry, risk FROM risk_industries WHERE industry IN ('travel', 'software') ORDER BY 1;
-- Errors name the function, the argument and the value, as in SQLite.
SELECT risk_score('adoption', 1.5);
SELECT risk_score('adoption', 0.5, 'region');
SELECT risk_explain('adoption');
SELECT risk_score('churn', 1);
SELECT risk_score('adoption', 0.5, 'Adoption', 0.2);
SELECT risk_score('contract_year', 0);
SELECT risk_score('stakeholders', 2.5);
SELECT risk_score('adoption', 'high');
SELECT risk_score('adoption', 'a very long text that goes on and on and on past forty bytes');
SELECT risk_score('industry', true::int + 1);
SELECT risk_score('region', 'NaN'::float8);
SELECT risk_score('region', 'Infinity'::numeric);
SELECT risk_score('region', '-Infinity'::float8);
SELECT risk_score('region', '2024-01-31'::date);
SELECT risk_score('region', '\x01'::bytea);
SELECT risk_score(1, 0.5);
SELECT risk_score(NULL, 0.5);
SELECT risk_score('adoption', 0.5, 'weights', '{"adoption": -2}');
SELECT risk_score('adoption', 0.5, 'weights', '{adoption: 2}');
SELECT risk_score('adoption', 0.5, 'weights', '{"adoption": 1, "ADOPTION": 2}');
SELECT risk_score('adoption', 0.5, 'weights', '{"speed": 1}');
SELECT risk_score('adoption', 0.5, 'weights', '{"adoption": "x"}');
SELECT risk_score('adoption', 0.5, 'weights', '[1, 2]');
SELECT risk_score('adoption', 0.5, 'weights', 12);
SELECT risk_score('adoption', 0.5, 'weights', '{}', 'weights', '{}');
SELECT risk_score('adoption', 0.5, 'model', 'x');
SELECT risk_score(VARIADIC ARRAY['adoption', '0.5']);
