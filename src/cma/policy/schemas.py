"""JSON Schemas the policy files must satisfy before anything is loaded."""

_CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 60}
_TEXT = {"type": "string", "minLength": 1}
# A mapping of code -> text, e.g. the pre-approved MX1-1 reasons.
_CODED_TEXTS = {"type": "object", "propertyNames": _CODE, "additionalProperties": _TEXT}
_ROLE = {
    "enum": [
        "service_officer",
        "team_leader",
        "specialist_officer",
        "ps_case_manager",
        "ps_team_leader",
        "national_manager_qcc",
        "auditor",
        "administrator",
    ]
}


def _file(key: str, item: dict) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["version", key],
        "properties": {
            "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
            key: {"type": "array", "minItems": 1, "items": item},
        },
    }


def _item(required: list[str], properties: dict) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def _parameter_item(key_pattern: str | None = None) -> dict:
    """A keyed value with its unit: the one item shape of the parameter files
    (parameters, contact, decisions, personalised, collection); `key_pattern` narrows
    the key (personalised keys start "ps-")."""
    key = {**_CODE, "pattern": key_pattern} if key_pattern else _CODE
    return _item(
        ["key", "value", "unit"],
        {"key": key, "value": {}, "unit": _TEXT, "description": {"type": "string"}},
    )


SCHEMAS = {
    "business_areas": _file(
        "business_areas",
        _item(
            ["code", "name", "kind"],
            {
                "code": _CODE,
                "name": _TEXT,
                "kind": {"enum": ["common", "specialised", "exception", "enabling"]},
                "description": {"type": "string"},
                "keeps_common_intrays": {"type": "boolean"},
            },
        ),
    ),
    "intray_types": _file(
        "intray_types",
        _item(
            ["code", "name", "service_level_working_days"],
            {
                "code": _CODE,
                "name": _TEXT,
                "service_level_working_days": {"type": "integer", "minimum": 0, "maximum": 60},
                "priority": {"type": "integer", "minimum": 1, "maximum": 5},
                "created_by_roles": {"type": "array", "items": _ROLE},
                "required_fields": {
                    "type": "array",
                    "items": {"enum": ["note", "case"]},
                    "uniqueItems": True,
                },
                "system_only": {"type": "boolean"},
                "routes_to_area": _CODE,
            },
        ),
    ),
    "parameters": _file(
        "parameters",
        _parameter_item(),
    ),
    "contact": _file(
        "contact",
        _parameter_item(),
    ),
    "decisions": _file(
        "decisions",
        _parameter_item(),
    ),
    "personalised": _file(
        "personalised",
        _parameter_item(key_pattern="^ps-[a-z0-9-]+$"),
    ),
    "collection": _file(
        "collection",
        _parameter_item(),
    ),
    "letters": _file(
        "letters",
        _item(
            ["code", "title", "audience", "signatory", "body"],
            {
                "code": {"type": "string", "pattern": r"^[A-Z0-9][A-Z0-9.\-]*$"},
                "title": _TEXT,
                "audience": {"enum": ["customer", "representative", "employer"]},
                "signatory": {"enum": ["agency", "ps_case_manager"]},
                "required_fields": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[a-z_]+$"},
                },
                "response_working_days": {"type": "integer", "minimum": 1, "maximum": 60},
                "response_days_parameter": _CODE,
                "reasons": _CODED_TEXTS,
                "request_types": _CODED_TEXTS,
                "preconditions": {
                    "type": "array",
                    "items": {"enum": ["overseas-customer", "employer-notices-complied"]},
                },
                "is_decision_advice": {"type": "boolean"},
                "body": _TEXT,
            },
        ),
    ),
}

# Referral guidelines (CMA-8): issue kinds with default routes, then ordered exceptions.
CUSTOMER_FACTS = [
    "under-18",
    "overseas",
    "locked",
    "ps-customer",
    "owned-after-expiry",
    "restricted-service",
    "protected-record",
]
OFFICER_FACTS = ["no-common-intrays"]
ROUTE_TO = ["lock-holder", "point-of-entry"]
_CODES = {"type": "array", "items": _CODE, "uniqueItems": True}

SCHEMAS["referral_guidelines"] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "issue_kinds", "rules"],
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
        "issue_kinds": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "activity", "area"],
                "properties": {
                    "code": _CODE,
                    "name": {"type": "string", "minLength": 1},
                    "activity": {"enum": ["common", "specialised"]},
                    "area": _CODE,
                    "description": {"type": "string"},
                },
            },
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "reason"],
                # Exactly one destination.
                "oneOf": [{"required": ["route_to"]}, {"required": ["route_to_area"]}],
                "properties": {
                    "code": _CODE,
                    "name": {"type": "string", "minLength": 1},
                    "reason": {"type": "string", "minLength": 1},
                    "customer_facts": {
                        "type": "array",
                        "items": {"enum": CUSTOMER_FACTS},
                        "uniqueItems": True,
                    },
                    "officer_facts": {
                        "type": "array",
                        "items": {"enum": OFFICER_FACTS},
                        "uniqueItems": True,
                    },
                    "issues": _CODES,
                    "unless_issues": _CODES,
                    "activity": {"enum": ["common", "specialised"]},
                    "route_to": {"enum": ROUTE_TO},
                    "route_to_area": _CODE,
                    "follow_up_to_area": _CODE,
                },
            },
        },
    },
}

# Macros (DOC-2): structured note templates; `output` uses {field} placeholders.
_FIELD_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 40}
SCHEMAS["macros"] = _file(
    "macros",
    _item(
        ["code", "name", "subject", "fields", "output"],
        {
            "code": _CODE,
            "name": _TEXT,
            "subject": {"type": "string", "minLength": 1, "maxLength": 120},
            "description": {"type": "string"},
            "function": {
                "enum": [
                    "general",
                    "contact",
                    "income",
                    "care",
                    "non-agency-payment",
                    "assessment",
                    "collection",
                    "personalised-services",
                ]
            },
            "roles": {"type": "array", "items": _ROLE, "uniqueItems": True},
            "fields": {
                "type": "array",
                "minItems": 1,
                "items": _item(
                    ["name", "label", "kind"],
                    {
                        "name": _FIELD_NAME,
                        "label": _TEXT,
                        "kind": {"enum": ["text", "choice", "date", "yesno"]},
                        "required": {"type": "boolean"},
                        "choices": _CODED_TEXTS,
                        "help": {"type": "string"},
                        "max_length": {"type": "integer", "minimum": 1, "maximum": 4000},
                    },
                ),
            },
            "output": _TEXT,
            "allowed_personal_information": {
                "type": "array",
                "items": _FIELD_NAME,
                "uniqueItems": True,
            },
        },
    ),
)
