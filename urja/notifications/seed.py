"""The templates every event starts with, in Hindi and English (seeded by migration 0003; the test suite
re-seeds them after a transactional test empties the tables). DLT template ids and the entity id are the
discom's own registrations: blank here, filled in the admin. A later change to a template's text is a new
data migration, not an edit here alone."""

SENDER = "URJAEB"
ESSENTIAL, OPTIONAL = "essential", "optional"

TEMPLATES = {
    "otp": (
        ESSENTIAL,
        "Urja: {#otp#} is your one-time password for {#purpose#}. It is valid for {#minutes#} minutes. Do not share it with anyone.",
        "उर्जा: {#purpose#} के लिए आपका वन-टाइम पासवर्ड {#otp#} है। यह {#minutes#} मिनट तक मान्य है। इसे किसी को न बताएँ।",
    ),
    "bill_issued": (
        ESSENTIAL,
        "Urja: your bill for a/c {#account#} for {#month#} is Rs {#amount#}, due by {#due_date#}.",
        "उर्जा: खाता {#account#} का {#month#} का बिल Rs {#amount#} है, देय तिथि {#due_date#}।",
    ),
    "payment_received": (
        ESSENTIAL,
        "Urja: Rs {#amount#} received for a/c {#account#} on {#date#}. Receipt {#receipt#}. Thank you.",
        "उर्जा: खाता {#account#} के लिए {#date#} को Rs {#amount#} प्राप्त हुए। रसीद {#receipt#}। धन्यवाद।",
    ),
    "cheque_bounced": (
        ESSENTIAL,
        "Urja: your {#instrument#} {#number#} of Rs {#amount#} for a/c {#account#} was returned unpaid. "
        "The payment is reversed and a charge of Rs {#charge#} added. Please pay in cash, card or online until {#until#}.",
        "उर्जा: खाता {#account#} के लिए आपका {#instrument#} {#number#} (Rs {#amount#}) बिना भुगतान लौट आया। "
        "भुगतान वापस लिया गया और Rs {#charge#} शुल्क जोड़ा गया। {#until#} तक नकद, कार्ड या ऑनलाइन भुगतान करें।",
    ),
    "due_reminder": (
        OPTIONAL,
        "Urja: Rs {#amount#} for a/c {#account#} is due on {#due_date#}. Pay on time to avoid a surcharge.",
        "उर्जा: खाता {#account#} के Rs {#amount#} की देय तिथि {#due_date#} है। अधिभार से बचने के लिए समय पर भुगतान करें।",
    ),
    "disconnection_notice": (
        ESSENTIAL,
        "Urja: Rs {#amount#} is overdue on a/c {#account#}. Supply may be disconnected after {#date#} unless paid. Ignore if paid.",
        "उर्जा: खाता {#account#} पर Rs {#amount#} बकाया है। भुगतान न होने पर {#date#} के बाद बिजली काटी जा सकती है। भुगतान कर दिया हो तो ध्यान न दें।",
    ),
    "reconnection": (
        ESSENTIAL,
        "Urja: supply to a/c {#account#} was reconnected on {#date#}.",
        "उर्जा: खाता {#account#} की बिजली {#date#} को फिर से जोड़ दी गई।",
    ),
    "complaint_update": (
        ESSENTIAL,
        "Urja: your complaint {#number#} is {#status#}. Resolution due by {#due#}. Not satisfied once it is "
        "resolved? Re-open it within 5 days. Help: 1912.",
        "उर्जा: आपकी शिकायत {#number#} {#status#} है। समाधान की समय-सीमा {#due#}। हल होने पर संतुष्ट न हों तो "
        "5 दिन में फिर से खोलें। सहायता: 1912।",
    ),
    "application_update": (
        ESSENTIAL,
        "Urja: application {#number#}: {#status#}.",
        "उर्जा: आवेदन {#number#}: {#status#}।",
    ),
    "sla_breach": (
        ESSENTIAL,
        "Urja: {#item#} at {#office#} is past its time limit of {#due#}. Please act now.",
        "उर्जा: {#office#} में {#item#} की समय-सीमा {#due#} बीत गई है। कृपया तुरंत कार्रवाई करें।",
    ),
    # E-mail only: not DLT templates, so longer and on several lines.
    "email_otp": (
        ESSENTIAL,
        "Urja: {#otp#} is your code to confirm this e-mail address for {#purpose#}. It is valid for "
        "{#minutes#} minutes. Do not share it with anyone.\n\nIf you did not ask for this code, ignore this e-mail.",
        "उर्जा: {#purpose#} के लिए इस ईमेल पते की पुष्टि का आपका कोड {#otp#} है। यह {#minutes#} मिनट तक मान्य है। "
        "इसे किसी को न बताएँ।\n\nयदि आपने यह कोड नहीं माँगा, तो इस ईमेल पर ध्यान न दें।",
    ),
    "email_changed": (
        ESSENTIAL,
        "Urja: the e-mail address of a/c {#account#} was changed on the consumer portal on {#date#}. This "
        "address will no longer get bills or messages for the account.\n\nIf you did not make this change, "
        "call 1912 at once.",
        "उर्जा: खाता {#account#} का ईमेल पता {#date#} को उपभोक्ता पोर्टल पर बदला गया। अब इस पते पर इस खाते के "
        "बिल और संदेश नहीं आएँगे।\n\nयदि यह बदलाव आपने नहीं किया, तो तुरंत 1912 पर कॉल करें।",
    ),
    "ebill": (
        ESSENTIAL,
        "Urja: the electricity bill of a/c {#account#} for {#month#} is attached. Amount payable Rs {#amount#}, "
        "due by {#due_date#}. Pay online on the Urja portal or at any cash counter.\n\nYou chose bills by "
        "e-mail on the portal; you can stop them there, under Profile.",
        "उर्जा: खाता {#account#} का {#month#} का बिजली बिल संलग्न है। देय राशि Rs {#amount#}, देय तिथि "
        "{#due_date#}। उर्जा पोर्टल पर ऑनलाइन या किसी भी नकद काउंटर पर भुगतान करें।\n\nआपने पोर्टल पर ईमेल "
        "से बिल लेना चुना है; इसे वहीं, प्रोफ़ाइल में, बंद कर सकते हैं।",
    ),
}


def templates_seed(model) -> int:
    """Create the templates that are missing (never overwrite an edited one). `model` may be a migration's."""
    rows = [
        model(event=event, language=language, category=category, body=body, sender=SENDER)
        for event, (category, english, hindi) in TEMPLATES.items()
        for language, body in (("en", english), ("hi", hindi))
    ]
    return len(model.objects.bulk_create(rows, ignore_conflicts=True))
