.mode list
.nullvalue NULL
-- Travel (.9) and adoption .2 (risk .8) with weights .15 each: .5 each as applied, so the
-- contributions are 45 and 40 and the score 85; largest first; the other eight are missing.
SELECT risk_explain('adoption', 0.2, 'industry', 'Travel');
SELECT json_extract(value, '$.factor'), json_extract(value, '$.contribution')
  FROM json_each(risk_explain('adoption', 0.2, 'industry', 'Travel'), '$.factors');
-- weights per call: .45 and .15 become .75 and .25 as applied: 67.5 + 20 = 87.5
WITH e(j) AS (SELECT risk_explain('adoption', 0.2, 'industry', 'Travel', 'weights', '{"industry": 0.45}'))
SELECT json_extract(j, '$.score'), json_extract(j, '$.factors[0].weight'), json_extract(j, '$.factors[1].weight') FROM e;
-- no factor: a null score, everything missing
SELECT risk_explain();
-- Top reason per account. Weights .15/.15/.15/.05 (sum .50) become .3/.3/.3/.1:
-- 1: events .9 -> 27, adoption .6 -> .4 -> 12, runway 3 -> .875 -> 26.25, contact 10 -> 1/9 -> 1.111: 66.36
-- 2: software .2 -> 6, adoption .1 -> .9 -> 27, runway 30 -> 0, contact 80 -> 8/9 -> 8.889: 41.89
-- 3: logistics .25 -> 7.5, adoption .9 -> 3, runway 24 -> 0, contact 0 -> 0: 10.5
CREATE TABLE acct(id, industry, adoption, runway, contact);
INSERT INTO acct VALUES (1, 'events', 0.6, 3, 10), (2, 'software', 0.1, 30, 80), (3, 'logistics', 0.9, 24, 0);
CREATE VIEW why AS SELECT id, risk_explain('industry', industry, 'adoption', adoption,
  'cash_runway_months', runway, 'days_since_contact', contact) AS j FROM acct;
SELECT id, round(json_extract(j, '$.score'), 2),
  (SELECT json_extract(value, '$.factor') FROM json_each(j, '$.factors') LIMIT 1)
  FROM why ORDER BY json_extract(j, '$.score') DESC;
-- the contributions add up to the score, the applied weights to 1
SELECT why.id, abs(sum(json_extract(f.value, '$.contribution')) - json_extract(j, '$.score')) < 1e-9,
  round(sum(json_extract(f.value, '$.weight')), 12)
  FROM why, json_each(j, '$.factors') AS f GROUP BY why.id;
SELECT json_extract(j, '$.missing') FROM why WHERE id = 3;
-- the same errors as risk_score, under its own name
SELECT risk_explain('adoption', 2);
SELECT risk_explain('adoption', 0.5, 'weights', '{"adoption": "high"}');
