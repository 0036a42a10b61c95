"""Directory forms: they validate and normalise; directory.services persists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from directory.csv_import import CsvRejected, check_size
from directory.models import STORE_NAME_MAX_LENGTH
from directory.phones import MAX_PHONE_INPUT_LENGTH, ParsedPhone, PhoneError, parse_phone
from directory.services import STORE_NAME_MISSING, StoreError, StoreValidationError, clean_store_name
from ops.config import get_config

PHONE_HELP = "Without a country code, the number is read for your default region (Settings)."


class StoreForm(forms.Form):
    """A store's name and number. `clean_phone` gives a ParsedPhone read with the user's region."""

    store_name = forms.CharField(
        label="Store name",
        error_messages={"required": STORE_NAME_MISSING},
        # The length is checked on the cleaned name (clean_store_name), as chat and
        # import check it; the browser's maxlength only helps while typing.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "ACME Hardware", "maxlength": STORE_NAME_MAX_LENGTH}
        ),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=MAX_PHONE_INPUT_LENGTH,
        error_messages={"required": "Please enter a phone number."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "placeholder": "415-555-0198"}),
    )

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_store_name(self) -> str:
        """The name as it will be saved: the same rule as chat and import (directory.services)."""
        try:
            return clean_store_name(self.cleaned_data["store_name"])
        except StoreValidationError as error:
            raise ValidationError(error.errors["store_name"]) from error

    def clean_phone(self) -> ParsedPhone:
        try:
            return parse_phone(self.cleaned_data["phone"], region=self.region)
        except PhoneError as error:
            raise ValidationError(str(error)) from error

    def add_service_error(self, error: StoreError) -> None:
        """Show a refusal from directory.services on the field it is about."""
        if isinstance(error, StoreValidationError):
            for field, message in error.errors.items():
                self.add_error(field if field in self.fields else None, message)
        else:
            self.add_error("phone", str(error))


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Choose a CSV file to import.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> Upload:
        """The upload's name and bytes; a file over the size limit is refused before it is read."""
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            check_size(upload.size or 0, max_bytes=get_config().csv_max_bytes)
        except CsvRejected as rejection:
            raise ValidationError(str(rejection)) from rejection
        return Upload(name=upload.name or "upload.csv", content=upload.read())
