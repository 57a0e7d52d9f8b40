"""Who may do what on a structure: one abilities dict, shared by pages (and later the API)."""

from .models import MANAGER_ROLES, Membership, Role


def structure_abilities(membership: Membership | None) -> dict[str, bool]:
    role = membership.role if membership else None
    is_manager = role in MANAGER_ROLES
    return {
        "view": membership is not None,
        "manage": is_manager,  # requests, members, services, parameters, bank details
        "transfer_principal": role == Role.PRINCIPAL,
        "mandate": is_manager,
        "leave": membership is not None and role != Role.PRINCIPAL,
    }
