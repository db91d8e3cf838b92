from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InvoiceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INVOICE_STATUS_UNSPECIFIED: _ClassVar[InvoiceStatus]
    INVOICE_STATUS_DRAFT: _ClassVar[InvoiceStatus]
    INVOICE_STATUS_ISSUED: _ClassVar[InvoiceStatus]
    INVOICE_STATUS_PARTIALLY_PAID: _ClassVar[InvoiceStatus]
    INVOICE_STATUS_PAID: _ClassVar[InvoiceStatus]
    INVOICE_STATUS_VOID: _ClassVar[InvoiceStatus]
INVOICE_STATUS_UNSPECIFIED: InvoiceStatus
INVOICE_STATUS_DRAFT: InvoiceStatus
INVOICE_STATUS_ISSUED: InvoiceStatus
INVOICE_STATUS_PARTIALLY_PAID: InvoiceStatus
INVOICE_STATUS_PAID: InvoiceStatus
INVOICE_STATUS_VOID: InvoiceStatus

class Money(_message.Message):
    __slots__ = ("currency", "minor_units")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    MINOR_UNITS_FIELD_NUMBER: _ClassVar[int]
    currency: str
    minor_units: int
    def __init__(self, currency: _Optional[str] = ..., minor_units: _Optional[int] = ...) -> None: ...

class Account(_message.Message):
    __slots__ = ("id", "patient_id", "currency", "balance", "payer_name", "insurer", "policy_number")
    ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    INSURER_FIELD_NUMBER: _ClassVar[int]
    POLICY_NUMBER_FIELD_NUMBER: _ClassVar[int]
    id: str
    patient_id: str
    currency: str
    balance: Money
    payer_name: str
    insurer: str
    policy_number: str
    def __init__(self, id: _Optional[str] = ..., patient_id: _Optional[str] = ..., currency: _Optional[str] = ..., balance: _Optional[_Union[Money, _Mapping]] = ..., payer_name: _Optional[str] = ..., insurer: _Optional[str] = ..., policy_number: _Optional[str] = ...) -> None: ...

class InvoiceLine(_message.Message):
    __slots__ = ("id", "service_code", "description", "quantity", "unit_price", "amount", "appointment_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    service_code: str
    description: str
    quantity: int
    unit_price: Money
    amount: Money
    appointment_id: str
    def __init__(self, id: _Optional[str] = ..., service_code: _Optional[str] = ..., description: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price: _Optional[_Union[Money, _Mapping]] = ..., amount: _Optional[_Union[Money, _Mapping]] = ..., appointment_id: _Optional[str] = ...) -> None: ...

class Invoice(_message.Message):
    __slots__ = ("id", "number", "account_id", "patient_id", "status", "currency", "subtotal", "tax", "discount", "total", "amount_paid", "lines")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_PAID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: str
    account_id: str
    patient_id: str
    status: InvoiceStatus
    currency: str
    subtotal: Money
    tax: Money
    discount: Money
    total: Money
    amount_paid: Money
    lines: _containers.RepeatedCompositeFieldContainer[InvoiceLine]
    def __init__(self, id: _Optional[str] = ..., number: _Optional[str] = ..., account_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., status: _Optional[_Union[InvoiceStatus, str]] = ..., currency: _Optional[str] = ..., subtotal: _Optional[_Union[Money, _Mapping]] = ..., tax: _Optional[_Union[Money, _Mapping]] = ..., discount: _Optional[_Union[Money, _Mapping]] = ..., total: _Optional[_Union[Money, _Mapping]] = ..., amount_paid: _Optional[_Union[Money, _Mapping]] = ..., lines: _Optional[_Iterable[_Union[InvoiceLine, _Mapping]]] = ...) -> None: ...

class EnsureAccountRequest(_message.Message):
    __slots__ = ("patient_id", "payer_name", "insurer", "policy_number", "patient_user_id")
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    INSURER_FIELD_NUMBER: _ClassVar[int]
    POLICY_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PATIENT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    payer_name: str
    insurer: str
    policy_number: str
    patient_user_id: str
    def __init__(self, patient_id: _Optional[str] = ..., payer_name: _Optional[str] = ..., insurer: _Optional[str] = ..., policy_number: _Optional[str] = ..., patient_user_id: _Optional[str] = ...) -> None: ...

class EnsureAccountResponse(_message.Message):
    __slots__ = ("account", "created")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    account: Account
    created: bool
    def __init__(self, account: _Optional[_Union[Account, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetBalanceRequest(_message.Message):
    __slots__ = ("patient_id",)
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    def __init__(self, patient_id: _Optional[str] = ...) -> None: ...

class GetBalanceResponse(_message.Message):
    __slots__ = ("account_id", "balance")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    balance: Money
    def __init__(self, account_id: _Optional[str] = ..., balance: _Optional[_Union[Money, _Mapping]] = ...) -> None: ...

class CreateInvoiceRequest(_message.Message):
    __slots__ = ("patient_id", "currency")
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    currency: str
    def __init__(self, patient_id: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class CreateInvoiceResponse(_message.Message):
    __slots__ = ("invoice",)
    INVOICE_FIELD_NUMBER: _ClassVar[int]
    invoice: Invoice
    def __init__(self, invoice: _Optional[_Union[Invoice, _Mapping]] = ...) -> None: ...

class ListInvoicesRequest(_message.Message):
    __slots__ = ("patient_id", "statuses", "page_size", "page_token")
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    statuses: _containers.RepeatedScalarFieldContainer[InvoiceStatus]
    page_size: int
    page_token: str
    def __init__(self, patient_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[InvoiceStatus, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInvoicesResponse(_message.Message):
    __slots__ = ("invoices", "next_page_token")
    INVOICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    invoices: _containers.RepeatedCompositeFieldContainer[Invoice]
    next_page_token: str
    def __init__(self, invoices: _Optional[_Iterable[_Union[Invoice, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddLineRequest(_message.Message):
    __slots__ = ("invoice_id", "service_code", "description", "quantity", "unit_price_minor", "appointment_id")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_MINOR_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    service_code: str
    description: str
    quantity: int
    unit_price_minor: int
    appointment_id: str
    def __init__(self, invoice_id: _Optional[str] = ..., service_code: _Optional[str] = ..., description: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price_minor: _Optional[int] = ..., appointment_id: _Optional[str] = ...) -> None: ...

class AddLineResponse(_message.Message):
    __slots__ = ("invoice", "line")
    INVOICE_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    invoice: Invoice
    line: InvoiceLine
    def __init__(self, invoice: _Optional[_Union[Invoice, _Mapping]] = ..., line: _Optional[_Union[InvoiceLine, _Mapping]] = ...) -> None: ...
