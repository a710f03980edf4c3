/*
** herfindahl.c: herfindahl(amount) and herfindahl(customer, amount), described for the
** measure engine (measure.h).
**
** The Herfindahl-Hirschman index on the 0-10000 scale: the sum of the customers' squared
** percentage shares, 10000 * sum(x^2) / (sum x)^2. 30/30/20/20 gives 2600; one customer
** gives 10000.
**   1. herfindahl(amount): one row per customer; herfindahl(customer, amount): rows are
**      netted per customer first. Customers with a total <= 0 hold no share.
**   2. It is a function of the sum and the sum of squares of the totals (of_sums), so the
**      engine keeps running sums: in the unkeyed form exact for integers and compensated
**      for REAL, extreme REAL amounts scaled by a power of two before they are squared
**      (measure_sums.c); in the keyed form exact (pf_table_sums), and in a keyed window
**      exact sums kept up to date row by row, O(1) a row (measure_window.c).
**   3. Exactly, sum(x^2) <= (sum x)^2 for positive totals: only rounding could pass 10000,
**      and pf_hhi caps it there.
*/
#include "measure.h"

const pf_measure pf_measure_herfindahl = {
    .name = "herfindahl",
    .of_sums = pf_hhi_of_sums,
};
