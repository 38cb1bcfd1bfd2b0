from django import forms
from django.utils.translation import gettext_lazy as _
from django_registration.forms import RegistrationFormUniqueEmail


class ResearcherRegistrationForm(RegistrationFormUniqueEmail):
    """A user name, an e-mail address (one account each, confirmed by a link) and a
    password, checked by Django's password validators."""


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
