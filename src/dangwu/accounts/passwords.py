"""Password rule: at least three of upper case, lower case, digits and symbols (等保 practice)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    required_classes = 3

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required_classes:
            raise ValidationError(
                _(
                    "The password must contain at least three of: capital letters, "
                    "small letters, digits and symbols."
                ),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Use at least three of: capital letters, small letters, digits and symbols.")
