-- Analysis runs (ABC, customer groups, RFM, churn, cohorts, lifetime value): every run is kept with its kind, as-of
-- date, parameters and aggregate results, and its per-customer results in analysis_customer_results, so segments,
-- KPIs, reports and the customer 360 page read results without recomputing and history shows movement.

create table analysis_runs (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('abc', 'groups', 'rfm', 'churn', 'cohorts', 'clv')),
  as_of date not null,
  status text not null default 'running' check (status in ('running', 'completed', 'failed')),
  parameters jsonb not null default '{}'::jsonb,
  -- aggregate results: totals, Pareto curve, concentration, RFM grid, cohort matrix, fitted parameters, warnings
  results jsonb not null default '{}'::jsonb,
  customer_count integer not null default 0,
  duration_ms integer,
  error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index analysis_runs_kind_idx on analysis_runs (kind, id desc);

-- One row per customer (or per customer group for kind 'groups') and run. A column a kind does not compute is null.
create table analysis_customer_results (
  run_id bigint not null references analysis_runs (id) on delete cascade,
  account_id bigint not null references accounts (id) on delete cascade,
  -- ABC / groups: the measured value over the period, its rank, share and class, and last period's class
  value numeric,
  rank integer,
  share double precision,
  cumulative_share double precision,
  abc_class char(1) check (abc_class in ('A', 'B', 'C')),
  previous_class char(1) check (previous_class in ('A', 'B', 'C')),
  -- BTYD summary (lifetimes conventions) in the run's unit, and RFM
  frequency integer,
  recency double precision,
  t double precision,
  monetary_value numeric,
  total_value numeric,
  since_last double precision,
  r_score smallint check (r_score between 1 and 5),
  f_score smallint check (f_score between 1 and 5),
  m_score smallint check (m_score between 1 and 5),
  rfm_segment text,
  -- lifetime value
  p_alive double precision,
  expected_purchases double precision,
  expected_spend numeric,
  clv numeric,
  revenue_at_risk numeric,
  -- churn
  churn_class text check (churn_class in ('active', 'declining', 'at_risk', 'lost')),
  churn_reason text,
  -- cohorts: acquisition month (first day of the month)
  cohort date,
  -- anything kind-specific (group members, churn rule inputs)
  details jsonb,
  primary key (run_id, account_id)
);
create index analysis_customer_results_account_idx on analysis_customer_results (account_id, run_id desc);
