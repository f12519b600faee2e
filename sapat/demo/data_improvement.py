"""Demo nonconformities of the two demo universities, one or more in every state, written for
the demo from the seeds' kinds (004 §9.5: programmes, learners, resources, scientific-technical
products, environment; sources: complaints, internal and external audits, inspections,
monitoring, daily work). The seeds name no real nonconformity.

Days are counted back from the day of loading, so overdue actions stay overdue on any machine:
an action `("corrective", text, "staff", -20, None)` was due 20 days ago and is not done."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NcSpec:
    state: str  # the state to bring it to; "reopened" passes one failed check on the way
    unit: str  # unit code
    process: str  # process code, or ""
    nc_type: str  # NcType code
    source: str
    severity: str
    title: str
    description: str
    requirement: str = ""
    by: str = "quality"  # the account that registers it: quality, auditor, staff, head
    days_ago: int = 30  # detected
    root_cause: str = ""
    whys: tuple[tuple[str, str], ...] = ()
    correction: str = ""
    # (kind, text, owner: "staff" | "unit", deadline in days from today, done so many days ago or None)
    actions: tuple[tuple[str, str, str, int, int | None], ...] = ()
    unit_approved: bool = True  # in the action plan: the unit's approval already given
    verdict_note: str = ""
    closed_days_ago: int = 0


WHYS_SYLLABI = (
    ("Эмне үчүн силлабустар жаңыланган эмес?", "Кафедрада жаңылоо мөөнөтү белгиленген эмес."),
    ("Эмне үчүн мөөнөт белгиленген эмес?", "Окуу-методикалык комплекс жөнүндө жободо мөөнөт жок."),
    ("Эмне үчүн жободо мөөнөт жок?", "Жобо 2019-жылы бекитилип, ошондон бери кайра каралган эмес."),
)

BATSU = (
    NcSpec(
        "registered",
        "КГПИ",
        "2.3",
        "environment",
        "complaint",
        "minor",
        "Окуу корпусунун 2-кабатындагы аудиториялар кышында жылытылбайт",
        "Студенттердин ишеним кутучасына түшкөн арызында 204, 206-аудиторияларда температура 12 °C "
        "чейин түшөөрү айтылган.",
        requirement="Санитардык-гигиеналык талаптар: окуу бөлмөсүндөгү температура 18 °C кем эмес.",
        by="staff",
        days_ago=3,
    ),
    NcSpec(
        "analysis",
        "КГПИ",
        "2.3",
        "programmes",
        "internal_audit",
        "minor",
        "Кесиптик практиканын программалары иш берүүчүлөр менен макулдашылган эмес",
        "Ички аудитте «Педагогика» багытынын практика программаларында иш берүүчүлөрдүн макулдугу жок экени аныкталды.",
        requirement="Сапат боюнча жетектеме §9.3.1; ISO 9001:2015 8.2.3",
        by="auditor",
        days_ago=12,
    ),
    NcSpec(
        "action_plan",
        "КГПИ",
        "2.3",
        "programmes",
        "internal_audit",
        "major",
        "2025–2026-окуу жылынын силлабустары жаңыланган эмес",
        "Ички аудит учурунда кафедралардагы 14 силлабустун 9у мурунку окуу жылынын нускасында экени табылды.",
        requirement="Окуу-методикалык комплекс жөнүндө жобо, 4.2-п.",
        by="auditor",
        days_ago=25,
        root_cause="Силлабустарды жыл сайын жаңылоо мөөнөтү жободо белгиленген эмес.",
        whys=WHYS_SYLLABI,
        correction="Кафедра башчыларына силлабустарды бир айдын ичинде жаңылоо тапшырылды.",
        actions=(
            ("correction", "Эски силлабустарды жаңылап, кафедранын отурумунда бекитүү", "staff", 5, 4),
            (
                "corrective",
                "Окуу-методикалык комплекс жөнүндө жобого жыл сайын жаңылоо мөөнөтүн киргизүү",
                "unit",
                30,
                None,
            ),
        ),
        unit_approved=True,
    ),
    NcSpec(
        "in_progress",
        "КГПИ",
        "3.3",
        "resources",
        "inspection",
        "major",
        "Компьютердик класстардагы программалык камсыздоонун лицензиялары бүткөн",
        "Пландуу текшерүүдө 3 компьютердик класста (48 компьютер) лицензиялардын мөөнөтү өткөнү аныкталды.",
        requirement="Сапат боюнча жетектеме §8.1, инфраструктура",
        days_ago=70,
        root_cause="Лицензиялардын мөөнөттөрү эч бир реестрде көзөмөлдөнгөн эмес.",
        correction="Лицензиясыз программалар убактылуу өчүрүлдү.",
        actions=(
            ("corrective", "Лицензиялардын реестрин түзүп, жооптууну дайындоо", "unit", -20, None),
            ("corrective", "Лицензияларды сатып алуу үчүн өтүнмө берүү", "staff", -5, None),
            ("preventive", "Мөөнөтү бүтөөрдөн 60 күн мурун эскертүү тартибин киргизүү", "unit", 25, None),
        ),
    ),
    NcSpec(
        "check",
        "КГПИ",
        "2.5",
        "learners",
        "monitoring",
        "minor",
        "Биринчи курстун кышкы сессиядагы академиялык карызы 30 % ашты",
        "Жетишүүнү мониторингдөөдө 1-курстун студенттеринин 34 %ында бир же бир нече карыз бар экени аныкталды.",
        days_ago=80,
        root_cause="Биринчи курстун студенттерине кураторлук иш жүргүзүлгөн эмес.",
        actions=(
            ("corrective", "Ар бир академиялык топко куратор бекитүү", "unit", -30, 35),
            ("corrective", "Карызды жоюу боюнча кошумча консультациялардын графигин түзүү", "staff", -12, 10),
        ),
    ),
    NcSpec(
        "reopened",
        "КГПИ",
        "2.7",
        "research",
        "data_analysis",
        "minor",
        "Илимий макалалардын саны пландан 40 % аз",
        "Жылдык отчетторду талдоодо окутуучулардын илимий басылмаларынын саны пландагыдан 40 % аз болду.",
        days_ago=200,
        root_cause="Илимий ишке убакыт окуу жүгүнөн бөлүнгөн эмес.",
        actions=(("corrective", "Илимий семинарларды айына бир жолу өткөрүү", "unit", -150, 150),),
        verdict_note="Кийинки чейректе да макалалардын саны өскөн жок: семинарлар жетишсиз.",
    ),
    NcSpec(
        "closed",
        "КГПИ",
        "2.3",
        "programmes",
        "accreditation",
        "major",
        "Билим берүү программасынын максаттары кесиптик стандартка шайкеш эмес",
        "Программалык аккредитацияда эксперттер «Башталгыч билим берүү» программасынын максаттары жаңы "
        "кесиптик стандартка шайкеш келбегенин белгилешти.",
        requirement="Аккредитациялык стандарт 1.1",
        days_ago=420,
        root_cause="Кесиптик стандарттын өзгөрүүсү кафедраларга жеткирилген эмес.",
        actions=(
            ("corrective", "Программанын максаттарын жаңы стандартка ылайык кайра иштеп чыгуу", "unit", -360, 370),
            ("improvement", "Стандарттардын өзгөрүүлөрүн кафедраларга жеткирүү тартибин бекитүү", "unit", -340, 345),
        ),
        verdict_note="Кийинки ички аудитте программанын максаттары стандартка шайкеш деп табылды.",
        closed_days_ago=300,
    ),
    NcSpec(
        "closed",
        "ТГПФ",
        "2.5",
        "learners",
        "complaint",
        "minor",
        "Студенттерге экзамендердин жыйынтыктары кечигип жарыяланат",
        "Студенттердин сунуштарында экзамендин жыйынтыгы 10 күнгө чейин кечигип жарыяланары айтылган.",
        by="staff",
        days_ago=150,
        root_cause="Ведомосттор кагаз түрүндө, деканатка кол менен жеткирилет.",
        actions=(
            ("corrective", "Жыйынтыктарды электрондук журналга 3 күндө киргизүү тартибин бекитүү", "staff", -110, 112),
        ),
        verdict_note="Кийинки сессияда бардык жыйынтыктар 3 күндүн ичинде жарыяланды.",
        closed_days_ago=60,
    ),
)

OSHSU = (
    NcSpec(
        "registered",
        "МФ",
        "",
        "environment",
        "daily_work",
        "minor",
        "Анатомия лабораториясында желдетүү иштебейт",
        "Лаборант желдетүү системасы эки жумадан бери иштебей турганын билдирди.",
        by="staff",
        days_ago=2,
    ),
    NcSpec(
        "analysis",
        "МФ",
        "",
        "programmes",
        "licensing",
        "major",
        "Клиникалык базалар менен келишимдердин мөөнөтү өткөн",
        "Лицензиялоого даярдоодо 4 клиникалык база менен келишимдердин мөөнөтү өткөнү аныкталды.",
        requirement="Лицензиялык талаптар, клиникалык базалар",
        days_ago=15,
    ),
    NcSpec(
        "action_plan",
        "МФ",
        "",
        "resources",
        "internal_audit",
        "minor",
        "Китепканада клиникалык дисциплиналар боюнча кыргыз тилиндеги окуу куралдары жетишсиз",
        "Ички аудитте 6 клиникалык дисциплина боюнча кыргыз тилиндеги окуу куралдары жок экени аныкталды.",
        days_ago=20,
        root_cause="Окуу адабиятын сатып алуу пландалбаган.",
        actions=(("corrective", "Окуу адабиятын сатып алуу планын түзүү", "unit", 40, None),),
        unit_approved=False,
    ),
    NcSpec(
        "in_progress",
        "МФ",
        "",
        "learners",
        "attestation",
        "major",
        "Мамлекеттик аттестацияда бүтүрүүчүлөрдүн практикалык көндүмдөрү төмөн бааланды",
        "Аттестациялык комиссия бүтүрүүчүлөрдүн 28 %ы клиникалык көндүмдөр боюнча сынактан өтпөгөнүн белгиледи.",
        days_ago=60,
        root_cause="Симуляциялык борбордо машыгуулар графикке киргизилген эмес.",
        actions=(
            ("corrective", "Симуляциялык машыгууларды окуу планына киргизүү", "unit", -10, None),
            ("corrective", "ОСКЭ форматындагы аралык сынактарды өткөрүү", "staff", 20, None),
        ),
    ),
    NcSpec(
        "check",
        "МФ",
        "",
        "research",
        "contracts",
        "minor",
        "Илимий долбоордун отчету келишимде көрсөтүлгөн мөөнөттө тапшырылган эмес",
        "Донор менен келишим боюнча аралык отчет 3 жумага кечигип тапшырылды.",
        days_ago=90,
        root_cause="Долбоордун жетекчиси отчеттордун мөөнөттөрүн көзөмөлдөгөн эмес.",
        actions=(("corrective", "Долбоорлордун отчетторунун календарын жүргүзүү", "staff", -40, 42),),
    ),
    NcSpec(
        "closed",
        "МФ",
        "",
        "environment",
        "inspection",
        "major",
        "Химия лабораториясында өрт өчүргүчтөрдүн мөөнөтү өткөн",
        "Өрт коопсуздугу боюнча текшерүүдө 5 өрт өчүргүчтүн мөөнөтү өткөнү табылды.",
        days_ago=380,
        root_cause="Өрт өчүргүчтөрдү текшерүү графиги жок болчу.",
        actions=(("corrective", "Өрт өчүргүчтөрдү алмаштыруу жана текшерүү графигин бекитүү", "unit", -350, 355),),
        verdict_note="Кайра текшерүүдө бардык өрт өчүргүчтөр жарактуу.",
        closed_days_ago=320,
    ),
)

NONCONFORMITIES: dict[str, tuple[NcSpec, ...]] = {"batsu": BATSU, "oshsu": OSHSU}

# An action on its own and one raised from a risk, per institution: (unit, kind, text, owner, days).
OWN_ACTIONS = {
    "batsu": (
        ("ББСБ", "improvement", "Сапат боюнча жооптуулар үчүн ички аудит боюнча окуу семинарын өткөрүү", "staff", 45),
    ),
    "oshsu": (("ОСМКБ", "improvement", "Студенттердин канааттануусун сурамжылоонун суроолорун жаңылоо", "unit", -7),),
}
