from __future__ import annotations

from gateway.adapters.repository import (
    ApiKeyRepository,
    AuditRepository,
    RevokedTokenRepository,
    SignInChanges,
    UserRepository,
)
from gateway.adapters.webhook_repository import WebhookRepository
from treue.uow import UnitOfWork


class GatewayUnitOfWork(UnitOfWork):
    users: UserRepository
    api_keys: ApiKeyRepository
    audit: AuditRepository
    revoked_tokens: RevokedTokenRepository
    webhooks: WebhookRepository
    sign_in_changes: SignInChanges
    unique_constraint_fields = {"uq_users_email_lower": "email"}

    def open_repositories(self) -> None:
        self.users = UserRepository(self.session)
        self.api_keys = ApiKeyRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.revoked_tokens = RevokedTokenRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        self.sign_in_changes = SignInChanges(self.session)
