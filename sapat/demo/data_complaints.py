"""Demo complaints, suggestions, appeals and thanks (the trust box) of the two demo
institutions: what students, parents, employers and graduates of a Kyrgyz university write
about. `unit` is the unit it concerns, `to` the unit it is routed to (by code); `state` is
"new", "routed", "overdue" or "closed"; `days_ago` when it was received."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ComplaintSpec:
    kind: str
    who: str
    category: str
    subject: str
    text: str
    state: str
    days_ago: int
    unit: str = ""
    to: str = ""
    answer: str = ""
    contact: tuple = ()  # (name, e-mail, phone) when not anonymous
    follow_up: str = ""


def _common(faculty, department, library, facilities, quality, admission):
    return (
        ComplaintSpec(
            "complaint",
            "student",
            "teaching",
            "Сабак үзгүлтүккө учурап жатат",
            "Үчүнчү курстун тайпасында бир мугалим эки жумадан бери сабакка келбей жатат. Алмаштыруучу "
            "мугалим дайындалган жок, модулга даярдана албай жатабыз.",
            "closed",
            60,
            unit=department,
            to=faculty,
            answer="Кайрылууңуз үчүн рахмат. Кафедра убактылуу алмаштыруучу мугалимди дайындады, өтпөй калган "
            "сабактар ишемби күндөрү кошумча өтүлөт. Графиги деканаттын тактасында илинди.",
        ),
        ComplaintSpec(
            "complaint",
            "parent",
            "facilities",
            "Жатаканада жылуулук жок",
            "Кызым жашаган жатакананын экинчи кабатында бир жумадан бери батареялар муздак. Балдар ооруп "
            "жатышат. Чара көрүүнү суранам.",
            "closed",
            45,
            to=facilities,
            answer="Жылуулук системасындагы бузулуу оңдолду, жатакананын бардык кабаттары жылытылууда. "
            "Мындан ары текшерүү ар жумада жүргүзүлөт.",
            contact=("Гүлнара Абдыкадырова", "gulnara.a@example.org", "+996 555 120 341"),
        ),
        ComplaintSpec(
            "suggestion",
            "student",
            "services",
            "Китепкананын иш убактысын узартуу",
            "Сессия мезгилинде китепкана саат 17:00дө жабылат. Окуу залын жок дегенде саат 20:00гө чейин "
            "ачык кармоону сунуштайм.",
            "routed",
            6,
            unit=library,
            to=library,
        ),
        ComplaintSpec(
            "appeal",
            "student",
            "teaching",
            "Экзамендин баасына апелляция",
            "Жазуу жүзүндөгү экзаменде менин жообум толук бааланган жок деп эсептейм. Ишимди кайра "
            "карап чыгууну суранам.",
            "overdue",
            30,
            unit=department,
            to=faculty,
            contact=("Нурсултан Осмонов", "", "+996 700 418 225"),
            follow_up="Эки жумадан ашты, дагы эле жооп жок. Качан каралат?",
        ),
        ComplaintSpec(
            "gratitude",
            "graduate",
            "teaching",
            "Кафедрага ыраазычылык",
            "Бүтүрүүчү катары кафедранын мугалимдерине терең ыраазычылык билдирем. Алган билимим "
            "жумушка орношууда чоң жардам берди.",
            "closed",
            90,
            unit=department,
            to=department,
            answer="Жылуу сөзүңүз үчүн чоң рахмат! Кат кафедранын отурумунда окулду.",
        ),
        ComplaintSpec(
            "suggestion",
            "employer",
            "teaching",
            "Практиканы узартуу боюнча сунуш",
            "Биздин мекемеге келген студенттер практикалык көндүмдөрү жетишсиз. Өндүрүштүк практиканын "
            "мөөнөтүн узартууну жана келишим түзүүнү сунуштайбыз.",
            "routed",
            3,
            unit=faculty,
            to=faculty,
            contact=("Бакыт Жумабаев", "b.jumabaev@example.org", ""),
        ),
        ComplaintSpec(
            "complaint",
            "student",
            "organisation",
            "Сабак жадыбалы кеч жарыяланды",
            "Семестрдин биринчи жумасында сабак жадыбалы жарыяланган жок, студенттер кайсы аудиторияга "
            "барарын билбей калышты.",
            "overdue",
            25,
            unit=faculty,
            to=faculty,
        ),
        ComplaintSpec(
            "complaint",
            "student",
            "conduct",
            "Акча талап кылуу фактысы",
            "Зачет алуу үчүн бир кызматкер акча сурады. Атымды айткым келбейт, бирок бул маселе текшерилишин суранам.",
            "new",
            1,
            unit=faculty,
        ),
        ComplaintSpec(
            "suggestion",
            "staff",
            "facilities",
            "Аудиторияларга проектор орнотуу",
            "Лекциялык аудиториялардын жарымында проектор жок. Ар бир чоң аудиторияга туруктуу проектор "
            "орнотууну сунуштайм.",
            "new",
            2,
            to="",
        ),
        ComplaintSpec(
            "complaint",
            "other",
            "services",
            "Кабыл алуу комиссиясынын маалыматы",
            "Университеттин сайтындагы кабыл алуу эрежелери эскирген, телефон аркылуу да так жооп алууга "
            "мүмкүн болбоду.",
            "closed",
            120,
            to=admission,
            answer="Сайттагы маалымат жаңыланды, кабыл алуу комиссиясынын ишеним телефону кошулду.",
            contact=("Айбек Сыдыков", "aibek.s@example.org", ""),
        ),
    )


COMPLAINTS = {
    "batsu": _common("ТГПФ", "ТГПФ-ПББ", "БК", "АЧД", "ББСБ", "КАКББ"),
    "oshsu": _common("МФ", "МФ-ИО", "БИК", "АЧД", "ОСМКБ", "АИБ"),
}
