"""The rule registry: one explicit table of every rule, by its neutral name, in
documentation order.

Every rule lives in its own module, named after the bad pattern it catches; its module
docstring is its documentation (`booking-rules rules CODE`, `docs/rules/CODE.md`). A rule's
identity is that name; each platform names the rules it runs with codes of its own, in one
table (``booking_rules.platforms.<name>.codes``). To add a rule: write the module, add it to
``_MODULES`` below and to each platform's table that runs it, and run
``booking-rules rules --write-docs docs/rules``.
"""

from __future__ import annotations

from importlib import import_module

from ..core.rule import Rule

# The rules behind Phorest's nineteen codes first (RULES.md §3), then the engine's own
# (RULES.md §5), then the time warnings (§1) and the notices raised while reading input,
# then the rules of the writes that are not bookings, then the rules a platform runs
# that Phorest does not (PNE's appointment body and orders).
_MODULES = (
    # Behind the Phorest codes
    "staff_unqualified",
    "requested_staff_changed",
    "client_already_booked",
    "staff_not_working",
    "staff_double_booked",
    "room_over_capacity",
    "room_unsuitable",
    "machine_double_booked",
    "machine_unsuitable",
    "service_twice_same_day",
    "second_online_booking_same_day",
    "course_session_too_soon",
    "course_session_too_late",
    "offer_before_start_date",
    "offer_after_end_date",
    "offer_outside_allowed_time",
    "offer_max_concurrent",
    "offer_max_per_day",
    "offer_staff_excluded",
    # The engine's own checks
    "unknown_id",
    "unknown_client",
    "archived_service",
    "archived_staff",
    "offer_wrong_service",
    "course_expired",
    "course_used_up",
    "course_item_mismatch",
    "stale_version",
    "start_in_past",
    "addon_booked_alone",
    "online_service_disabled",
    "online_staff_hidden",
    "online_short_notice",
    "online_off_slot_grid",
    "online_gap_too_small",
    "staff_missing",
    # Time warnings (RULES.md §1) and notices raised while reading input
    "time_without_offset",
    "local_time_sent_as_utc",
    "end_time_differs_from_duration",
    "nonexistent_local_time",
    "ambiguous_local_time",
    "unknown_field",
    "deprecated_schedules",
    "duplicate_id",
    "break_without_resource",
    "zero_length_appointment",
    "unknown_activation_state",
    "expired_hold",
    "null_field",
    "unreadable_row",
    # The writes beside bookings, by subject (their codes are the engine's own: Phorest
    # publishes none for these): clients, client courses, purchases, vouchers, CSV exports.
    "client_id_on_create",
    "phone_sent_as_number",
    "client_details_invalid",
    "client_version_stale",
    "client_id_mismatch",
    "creating_branch_on_update",
    "course_expiry_invalid",
    "client_course_id_mismatch",
    "purchase_number_reused",
    "course_purchase_future_date",
    "voucher_item_in_purchase",
    "product_not_branch_product",
    "product_quantity_missing",
    "payments_short",
    "custom_payment_not_other",
    "voucher_expiry_before_issue",
    "voucher_balance_above_original",
    "voucher_serial_taken",
    "voucher_unknown_reference",
    "voucher_records_no_sale",
    "export_job_type_unknown",
    "export_job_filter_invalid",
    "export_job_id_sent",
    "export_link_expired",
    # Appointment bodies that pass minutes and wall times (PNE's POST /appointments)
    "client_shape_in_booking",
    "start_time_invalid",
    "start_time_format",
    "block_minutes_invalid",
    "block_minutes_differ",
    "branch_mismatch",
    "write_outside_subset",
    # Orders (subject "order": a sale of items with its payments)
    "order_number_invalid",
    "order_negative_quantity",
    "order_line_total_mismatch",
    "order_subtotal_mismatch",
    "order_total_below_subtotal",
    "order_payments_short",
    "order_unknown_item_kind",
    "order_unknown_payment_method",
    "order_price_differs",
    "order_unknown_id",
    "order_unknown_client",
)


def _load() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for name in _MODULES:
        rule: Rule = import_module(f"{__name__}.{name}").RULE
        if rule.name != name:
            raise RuntimeError(f"rule module {name} declares the rule of {rule.module}")
        table[name] = rule
    return table


REGISTRY: dict[str, Rule] = _load()
