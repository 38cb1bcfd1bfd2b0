"""The accounts' forms. django-registration's own messages are translated into Russian
but not into Simplified Chinese, so the ones a researcher can meet are given here again, in
the archive's catalogue (docs/translations.md)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_registration import validators
from django_registration.backends.activation.forms import ActivationForm
from django_registration.forms import RegistrationFormUniqueEmail

User = get_user_model()

RESERVED_NAME = _("This name is reserved and cannot be registered.")
CONFUSABLE = _("This name cannot be registered: choose another.")
CONFUSABLE_EMAIL = _("This e-mail address cannot be registered: give another.")
DUPLICATE_USERNAME = _("A researcher with that user name already exists.")
DUPLICATE_EMAIL = _("An account with this e-mail address already exists.")
INVALID_EMAIL = _("Enter a valid e-mail address.")


def _again(check, message):
    """`check` (one of django-registration's validators), failing with `message`."""

    def validate(value):
        try:
            check(value)
        except ValidationError as error:
            raise ValidationError(message, code=error.code) from None

    return validate


class ResearcherRegistrationForm(RegistrationFormUniqueEmail):
    """A user name, an e-mail address (one account each, confirmed by a link) and a
    password, checked by Django's password validators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[User.USERNAME_FIELD].validators = [
            *[
                v
                for v in self.fields[User.USERNAME_FIELD].validators
                if not isinstance(
                    v, validators.ReservedNameValidator | validators.CaseInsensitiveUnique
                )
                and v is not validators.validate_confusables
            ],
            _again(
                validators.ReservedNameValidator(validators.DEFAULT_RESERVED_NAMES), RESERVED_NAME
            ),
            _again(validators.validate_confusables, CONFUSABLE),
            validators.CaseInsensitiveUnique(User, User.USERNAME_FIELD, DUPLICATE_USERNAME),
        ]
        email = User.get_email_field_name()
        self.fields[email].validators = [
            _again(validators.HTML5EmailValidator(), INVALID_EMAIL),
            _again(validators.validate_confusables_email, CONFUSABLE_EMAIL),
            validators.CaseInsensitiveUnique(User, email, DUPLICATE_EMAIL),
        ]


class ResearcherActivationForm(ActivationForm):
    EXPIRED_MESSAGE = _("This confirmation link is too old: register again.")
    INVALID_KEY_MESSAGE = _("This confirmation link is not valid: copy it whole from the e-mail.")

    activation_key = forms.CharField(label=_("Confirmation key"))


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
