.mode list
.nullvalue NULL
-- One factor alone carries all the weight, so the score is 100 x its curve.
-- cash_runway_months: 1 at 0, down to 0 at 24 months
SELECT column1, risk_score('cash_runway_months', column1) FROM (VALUES (0), (6), (24), (30));
-- days_to_renewal: 1 up to 30 days (overdue too), down to 0 at 180
SELECT column1, risk_score('days_to_renewal', column1) FROM (VALUES (-5), (30), (105), (180));
-- contract_year: 0.3, 0.6, 1.0 for years 1-3, then 0.6
SELECT group_concat(risk_score('contract_year', column1), ' ') FROM (VALUES (1), (2), (3), (4), (5));
-- stakeholders: 1 - min(n, 5) / 5
SELECT group_concat(risk_score('stakeholders', column1), ' ') FROM (VALUES (0), (1), (5), (6));
-- days_since_contact: 0 at 0, up to 1 at 90
SELECT group_concat(risk_score('days_since_contact', column1), ' ') FROM (VALUES (0), (45), (90), (120));
-- adoption, deployment, penetration: 1 - value; region: the value
SELECT risk_score('adoption', 0.25), risk_score('deployment', 0.9), risk_score('penetration', 0.6), risk_score('region', 0.3);
-- industry by name (any case) or as a number; an unlisted industry rates 0.5
SELECT risk_score('industry', 'AVIATION'), risk_score('industry', 'software'), risk_score('industry', 'basket weaving'), risk_score('industry', 0.42);
-- Accounts with some factors missing: their weight is spread over the rest.
CREATE TABLE acct(id, industry, adoption, renewal);
INSERT INTO acct VALUES ('A', 'Aviation', 0.3, 60), ('B', 'Healthcare', 0.9, 400),
  ('C', NULL, 0.5, 30), ('D', NULL, NULL, NULL);
-- A: (.15*.9 + .15*.7 + .10*.8) / .40 = 80;  B: (.15*.2 + .15*.1 + 0) / .40 = 11.25
-- C: (.15*.5 + .10*1) / .25 = 70;            D: nothing given -> NULL
SELECT id, risk_score('industry', industry, 'adoption', adoption, 'days_to_renewal', renewal) FROM acct;
-- weights per call: adoption counts 3 times as much as industry: A = (3*.7 + 1*.9) / 4 = 75
SELECT risk_score('industry', industry, 'adoption', adoption, 'weights', '{"adoption": 3, "industry": 1}') FROM acct WHERE id = 'A';
-- a zero weight leaves the factor out: only adoption counts for A
SELECT risk_score('industry', industry, 'adoption', adoption, 'weights', '{"industry": 0}') FROM acct WHERE id = 'A';
-- numbers stored as TEXT (CSV imports) work; '' counts as NULL
SELECT risk_score('adoption', '0.25', 'region', '');
-- errors name the function, the factor and the value
SELECT risk_score('adoption', 1.5);
SELECT risk_score('adoption', 0.5, 'region');
SELECT risk_score('churn', 1);
SELECT risk_score('contract_year', 0);
SELECT risk_score('adoption', 0.5, 'weights', '{"adoption": -2}');
SELECT risk_score('adoption', 0.5, 'weights', '{adoption: 2}');
