"""Phorest's names for the rules: one table, from neutral rule to Phorest code.

The first nineteen are the codes Phorest's API answers (its one-line error list in the
support notes); the rest are the engine's own codes, which only booking_rules reports.
"""

from __future__ import annotations

from ...core.codes import CodeTable
from ...rules import REGISTRY

# (rule, code), in documentation order.
_TABLE = (
    ("staff_unqualified", "STAFF_UNQUALIFIED"),
    ("requested_staff_changed", "STAFF_REQUESTED"),
    ("client_already_booked", "CLIENT_ALREADY_BOOKED_THIS_TIME"),
    ("staff_not_working", "STAFF_NOT_WORKING"),
    ("staff_double_booked", "STAFF_DOUBLE_BOOKED"),
    ("room_over_capacity", "EXCEEDED_ROOM_CAPACITY"),
    ("room_unsuitable", "ROOM_UNSUITABLE"),
    ("machine_double_booked", "MACHINE_DOUBLE_BOOKED"),
    ("machine_unsuitable", "MACHINE_UNSUITABLE"),
    ("service_twice_same_day", "SERVICE_ALREADY_BOOKED_THIS_DAY"),
    ("second_online_booking_same_day", "INTERNET_BOOKING_ALREADY_BOOKED"),
    ("course_session_too_soon", "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED"),
    ("course_session_too_late", "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED"),
    ("offer_before_start_date", "SPECIAL_OFFER_BEFORE_START_DATE"),
    ("offer_after_end_date", "SPECIAL_OFFER_AFTER_END_DATE"),
    ("offer_outside_allowed_time", "SPECIAL_OFFER_NOT_ALLOWED_TIME"),
    ("offer_max_concurrent", "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED"),
    ("offer_max_per_day", "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"),
    ("offer_staff_excluded", "SPECIAL_OFFER_STAFF_EXCLUDED"),
    ("unknown_id", "UNKNOWN_ID"),
    ("unknown_client", "UNKNOWN_CLIENT"),
    ("archived_service", "ARCHIVED_SERVICE"),
    ("archived_staff", "ARCHIVED_STAFF"),
    ("offer_wrong_service", "OFFER_SERVICE_NOT_INCLUDED"),
    ("course_expired", "COURSE_EXPIRED"),
    ("course_used_up", "COURSE_NO_UNITS_LEFT"),
    ("course_item_mismatch", "COURSE_ITEM_MISMATCH"),
    ("stale_version", "STALE_VERSION"),
    ("start_in_past", "START_IN_PAST"),
    ("addon_booked_alone", "ADDON_ONLY_SERVICE_ALONE"),
    ("online_service_disabled", "ONLINE_SERVICE_DISABLED"),
    ("online_staff_hidden", "ONLINE_STAFF_HIDDEN"),
    ("online_short_notice", "ONLINE_SHORT_NOTICE"),
    ("online_off_slot_grid", "ONLINE_OFF_SLOT_GRID"),
    ("online_gap_too_small", "ONLINE_MIN_GAP"),
    ("staff_missing", "STAFF_MISSING"),
    ("time_without_offset", "TIME_WITHOUT_OFFSET"),
    ("local_time_sent_as_utc", "LIKELY_LOCAL_TIME_SENT_AS_UTC"),
    ("end_time_differs_from_duration", "END_TIME_DIFFERS_FROM_DURATION"),
    ("nonexistent_local_time", "NONEXISTENT_LOCAL_TIME"),
    ("ambiguous_local_time", "AMBIGUOUS_LOCAL_TIME"),
    ("unknown_field", "UNKNOWN_FIELD"),
    ("deprecated_schedules", "DEPRECATED_SCHEDULES"),
    ("duplicate_id", "DUPLICATE_ID"),
    ("break_without_resource", "BREAK_WITHOUT_RESOURCE"),
    ("zero_length_appointment", "ZERO_LENGTH_APPOINTMENT"),
    ("unknown_activation_state", "UNKNOWN_ACTIVATION_STATE"),
    ("expired_hold", "EXPIRED_HOLD"),
    ("null_field", "NULL_FIELD"),
    ("unreadable_row", "UNREADABLE_ROW"),
    # The writes beside bookings (clients, client courses, purchases, vouchers, CSV
    # export jobs): Phorest answers no code for these, so every one is the engine's own.
    ("client_id_on_create", "CLIENT_ID_ON_CREATE"),
    ("phone_sent_as_number", "PHONE_SENT_AS_NUMBER"),
    ("client_details_invalid", "CLIENT_DETAILS_INVALID"),
    ("client_version_stale", "CLIENT_VERSION_STALE"),
    ("client_id_mismatch", "CLIENT_ID_MISMATCH"),
    ("creating_branch_on_update", "CREATING_BRANCH_ID_SENT"),
    ("course_expiry_invalid", "CLIENT_COURSE_EXPIRY_INVALID"),
    ("client_course_id_mismatch", "CLIENT_COURSE_ID_MISMATCH"),
    ("purchase_number_reused", "PURCHASE_NUMBER_REUSED"),
    ("course_purchase_future_date", "COURSE_PURCHASE_FUTURE_DATE"),
    ("voucher_item_in_purchase", "VOUCHER_NOT_PURCHASABLE"),
    ("product_not_branch_product", "PRODUCT_NOT_BRANCH_PRODUCT"),
    ("product_quantity_missing", "PRODUCT_QUANTITY_MISSING"),
    ("payments_short", "PAYMENTS_DO_NOT_COVER_ITEMS"),
    ("custom_payment_not_other", "CUSTOM_PAYMENT_TYPE_NOT_OTHER"),
    ("voucher_expiry_before_issue", "VOUCHER_EXPIRY_NOT_AFTER_ISSUE"),
    ("voucher_balance_above_original", "VOUCHER_REMAINING_ABOVE_ORIGINAL"),
    ("voucher_serial_taken", "VOUCHER_SERIAL_TAKEN"),
    ("voucher_unknown_reference", "VOUCHER_UNKNOWN_REFERENCE"),
    ("voucher_records_no_sale", "VOUCHER_RECORDS_NO_SALE"),
    ("export_job_type_unknown", "EXPORT_JOB_TYPE_UNKNOWN"),
    ("export_job_filter_invalid", "EXPORT_JOB_FILTER_INVALID"),
    ("export_job_id_sent", "EXPORT_JOB_ID_SENT"),
    ("export_link_expired", "EXPORT_LINK_EXPIRED"),
)
API_CODES = tuple(code for _, code in _TABLE[:19])

TABLE = CodeTable(
    platform="phorest", display="Phorest",
    rules={name: REGISTRY[name] for name, _ in _TABLE},
    codes=dict(_TABLE),
    api=frozenset(name for name, _ in _TABLE[:19]),
    # Renamed codes keep working in rulesets and explain (none renamed yet).
    redirects={},
)
