"""The playground's example tabs: one operation document per role's first steps (GraphiQL `defaultTabs`)."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

__all__ = ["EXAMPLES", "Example", "examples_script"]


@dataclass(frozen=True, slots=True)
class Example:
    """One GraphiQL tab: its operations (comments included) and its variables as JSON text."""

    query: str
    variables: str = ""


_SIGN_IN = """# Sign in (every role). Run Login first: a PATIENT gets an accessToken straight away;
# ADMIN, DOCTOR and STAFF get mfaRequired: true and an mfaToken. For those, run
#   .venv/bin/healthgraph totp EMAIL
# in a terminal (demo users, development only), put the code and the mfaToken in the
# variables and run VerifyMfa. `make up` printed the demo logins (ROLE  email  password: ...);
# .healthgraph/demo-logins.txt keeps them.
# Then open the Headers pane of every other tab and send the token:
#   {"Authorization": "Bearer <accessToken>"}
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken
    refreshToken
    mfaRequired
    mfaToken
  }
}

mutation VerifyMfa($mfaToken: String!, $code: String!) {
  verifyMfa(mfaToken: $mfaToken, code: $code) {
    accessToken
    refreshToken
  }
}
"""

_SIGN_IN_VARIABLES = """{
  "email": "patient@demo.healthgraph.test",
  "password": "the password make up printed",
  "mfaToken": "from Login's answer (ADMIN, DOCTOR, STAFF)",
  "code": "from healthgraph totp EMAIL"
}
"""

_MY_APPOINTMENTS = """# My appointments, signed in as a PATIENT (Headers: {"Authorization": "Bearer <accessToken>"}).
# A patient sees only their own; staff and doctors see those they may, with the same query.
query MyAppointments {
  appointments(filter: {statuses: [BOOKED]}) {
    nodes {
      id
      startsAt
      endsAt
      status
      reason
      doctor {
        givenName
        familyName
        specialty
      }
    }
  }
}
"""

_MY_INVOICES = """# My invoices and what each visit cost, signed in as a PATIENT (the billing subgraph).
# A patient sees only their own; STAFF and ADMIN see everyone's; a DOCTOR the lines of their own
# visits. pdfUrl and csvUrl are paths on the billing service (port 4003), with the same token.
query MyInvoices {
  me {
    patient {
      balance { amount currency }
      invoices {
        number
        status
        issuedAt
        dueAt
        total { amount currency }
        amountDue { amount currency }
        lines { description quantity total { amount } }
        pdfUrl
      }
      appointments(first: 10, status: [COMPLETED]) {
        nodes { startsAt invoiceLine { description total { amount currency } } }
      }
    }
  }
}
"""

_BOOK = """# Book an appointment, signed in as STAFF (or ADMIN or DOCTOR; a PATIENT books for themselves).
# 1. FindPatientAndDoctor: copy a patient's and a doctor's id into the variables.
# 2. FreeSlots: the doctor's free slots between from and to; copy one slot's startsAt.
# 3. BookAppointment: the booking, or CONFLICT listing the overlapping appointments.
#    Send the same idempotencyKey again if an answer is lost: you get the same booking.
query FindPatientAndDoctor {
  patients(search: "Pat Patient", first: 5) {
    nodes {
      id
      givenName
      familyName
    }
  }
  doctors(first: 5) {
    nodes {
      id
      givenName
      familyName
      specialty
    }
  }
}

query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $doctorId, from: $from, to: $to) {
    startsAt
    endsAt
  }
}

mutation BookAppointment($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    id
    startsAt
    endsAt
    status
  }
}
"""

_BOOK_VARIABLES = """{
  "doctorId": "a doctor id from FindPatientAndDoctor",
  "from": "when to start looking: ISO 8601 with an offset, e.g. 2027-01-04T08:00:00Z",
  "to": "when to stop looking (at most 31 days after from)",
  "input": {
    "patientId": "a patient id from FindPatientAndDoctor",
    "doctorId": "the same doctor id",
    "startsAt": "a startsAt from FreeSlots",
    "reason": "Check-up",
    "idempotencyKey": "7d3c8a1e-4f2b-4c6d-9e0a-1b2c3d4e5f60"
  }
}
"""

_LIVE = """# Live appointment changes. The router does not carry subscriptions yet (here it answers
# SUBSCRIPTION_NOT_SUPPORTED): run this in the clinical subgraph's own GraphiQL, at its /graphql
# (http://localhost:4002/graphql with make up's default ports; that page loads GraphiQL from
# unpkg.com, so it needs internet access), which subscribes over a WebSocket
# (graphql-transport-ws). Send the same Authorization header there: it goes in connection_init.
# Each change carries its position: subscribe again with since set to the last position you
# received to get what you missed (since: -1 replays the whole retained window).
subscription AppointmentChanged($patientId: ID, $doctorId: ID, $since: Int) {
  appointmentChanged(patientId: $patientId, doctorId: $doctorId, since: $since) {
    position
    type
    occurredAt
    appointmentId
    status
    startsAt
    endsAt
  }
}
"""

_LIVE_VARIABLES = """{
  "patientId": "a patient id (a PATIENT may watch only their own)",
  "since": -1
}
"""

_ADMIN = """# Administration, signed in as ADMIN.
# Users: the account directory (ADMIN and STAFF). AccessLog: who read or was refused a patient's
# data (HIPAA audit trail). VerifyAuditChain: checks that no audit entry was altered or removed.
query Users {
  users(first: 20) {
    totalCount
    nodes {
      email
      displayName
      role
      status
    }
  }
}

query AccessLog($patientId: ID!) {
  accessLog(patientId: $patientId, first: 20) {
    nodes {
      at
      actorRole
      action
      allowed
      reason
      breakGlass
    }
  }
}

query VerifyAuditChain {
  verifyAuditChain {
    intact
    entries
  }
}
"""

_ADMIN_VARIABLES = """{
  "patientId": "a patient id (patients { nodes { id givenName familyName } })"
}
"""

EXAMPLES: tuple[Example, ...] = (
    Example(_SIGN_IN, _SIGN_IN_VARIABLES),
    Example(_MY_APPOINTMENTS),
    Example(_MY_INVOICES),
    Example(_BOOK, _BOOK_VARIABLES),
    Example(_LIVE, _LIVE_VARIABLES),
    Example(_ADMIN, _ADMIN_VARIABLES),
)


def examples_script() -> bytes:
    """`examples.js`: the tabs as `window.healthgraphExamples`, read by `playground.js`."""
    tabs = [{"query": example.query, "variables": example.variables} for example in EXAMPLES]
    return b"window.healthgraphExamples = " + orjson.dumps(tabs) + b";\n"
