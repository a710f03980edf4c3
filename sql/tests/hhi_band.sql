.mode list
-- default bands (2023 guidelines, as 1992): below 1000 | 1000 to 1800 | above 1800; boundaries are in the middle band
SELECT column1, hhi_band(column1) FROM (VALUES (0), (999.99), (1000), (1800), (1800.01), (10000));
-- edition 2023 names the default
SELECT hhi_band(999.99, 2023), hhi_band(1000, 2023), hhi_band(1800, 2023), hhi_band(1800.01, 2023);
-- edition 2010: below 1500 | 1500 to 2500 | above 2500
SELECT column1, hhi_band(column1, 2010) FROM (VALUES (0), (1499.99), (1500), (2500), (2500.01), (10000));
-- numbers stored as TEXT work for both arguments
SELECT hhi_band('1500'), hhi_band('1500', '2010'), hhi_band(2600, 2010.0);
-- NULL or '' in either argument gives NULL
SELECT quote(hhi_band(NULL)), quote(hhi_band('')), quote(hhi_band(1000, NULL)), quote(hhi_band(NULL, 2010));
-- on a portfolio: 30/30/20/20 has HHI 2600, highly concentrated under both editions
SELECT hhi_band(herfindahl(column1)), hhi_band(herfindahl(column1), 2010) FROM (VALUES (30), (30), (20), (20));
-- ten equal customers: HHI exactly 1000 (10 * 10^2), the lower edge of the middle band by default,
-- unconcentrated in 2010
SELECT herfindahl(1) = 1000, hhi_band(herfindahl(1)), hhi_band(herfindahl(1), 2010) FROM generate_series(1, 10);
