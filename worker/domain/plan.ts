// The provincial OCOP plan 2022-2025 of Bình Phước, as the programme dashboard measures it.
// Constants until plans become data (one row per plan and target) in a later change.

/** Targets of the provincial plan 2022-2025, for the programme dashboard. */
export const PLAN_TARGETS_2025 = {
  products_3_star_or_more_cumulative: 250,
  new_products_3_star_or_more: 150,
  five_star_candidates_share: 0.1,
  expired_products_recertified_share_min: 0.5,
  producers_female_led_share_min: 0.4,
  producers_ethnic_minority_led_share_min: 0.05,
  producers_cooperative_or_enterprise_share_min: 0.8,
  community_tourism_products: 6,
} as const;

/** Reported status in February 2025, for context on the dashboard. */
export const STATUS_FEB_2025 = { certified_products: 157, five_star: 3, four_star: 58, producers_about: 80 } as const;
