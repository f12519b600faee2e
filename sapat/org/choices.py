from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")


class UnitType(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    FACULTY = "faculty", _("Faculty")
    INSTITUTE = "institute", _("Institute")
    COLLEGE = "college", _("College")
    BRANCH = "branch", _("Branch")
    HIGHER_SCHOOL = "higher_school", _("Higher school")
    DEPARTMENT = "department", _("Academic department (kafedra)")
    CYCLE_COMMISSION = "cycle_commission", _("Subject-cycle commission")
    ADMIN_DEPARTMENT = "admin_department", _("Administrative department")
    CENTRE = "centre", _("Centre")
    SERVICE = "service", _("Service or office")
    COUNCIL = "council", _("Collegial body")
    OTHER = "other", _("Other unit")


# Unit types that are teaching units: programmes and student groups belong to them.
ACADEMIC_UNIT_TYPES = {
    UnitType.FACULTY,
    UnitType.INSTITUTE,
    UnitType.COLLEGE,
    UnitType.BRANCH,
    UnitType.HIGHER_SCHOOL,
    UnitType.DEPARTMENT,
    UnitType.CYCLE_COMMISSION,
}


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Degree(models.TextChoices):
    NONE = "", _("No degree")
    CANDIDATE = "candidate", _("Candidate of sciences")
    DOCTOR = "doctor", _("Doctor of sciences")
    PHD = "phd", _("PhD")


class AcademicTitle(models.TextChoices):
    NONE = "", _("No academic title")
    DOCENT = "docent", _("Docent (associate professor)")
    PROFESSOR = "professor", _("Professor")
    SENIOR_RESEARCHER = "senior_researcher", _("Senior researcher")


class StaffCategory(models.TextChoices):
    MANAGEMENT = "management", _("Administrative and managerial staff")
    TEACHING = "teaching", _("Teaching staff")
    TEACHING_SUPPORT = "teaching_support", _("Teaching-support staff")
    RESEARCH = "research", _("Research staff")
    SERVICE = "service", _("Service staff")


class Post(models.TextChoices):
    """Posts a position can be. The QMS roles the seeds name come first."""

    RECTOR = "rector", _("Rector")
    VICE_RECTOR_ACADEMIC = "vr_academic", _("Vice-rector for academic affairs")
    VICE_RECTOR_SCIENCE = "vr_science", _("Vice-rector for science")
    VICE_RECTOR_EXTERNAL = "vr_external", _("Vice-rector for external relations")
    VICE_RECTOR_ECONOMICS = "vr_economics", _("Vice-rector for economics and finance")
    VICE_RECTOR_STUDENTS = "vr_students", _("Vice-rector for work with students")
    QUALITY_HEAD = "quality_head", _("Head of the Education Quality Department")
    QUALITY_SPECIALIST = "quality_specialist", _("Specialist of the Education Quality Department")
    QMS_REPRESENTATIVE = "qms_representative", _("QMS management representative")
    UNIT_QUALITY = "unit_quality", _("Person responsible for quality in the unit")
    DEAN = "dean", _("Dean")
    INSTITUTE_DIRECTOR = "institute_director", _("Director of institute")
    COLLEGE_DIRECTOR = "college_director", _("College director")
    DEPARTMENT_HEAD = "department_head", _("Head of department")
    UNIT_HEAD = "unit_head", _("Head of unit")
    PROGRAMME_LEADER = "programme_leader", _("Programme leader")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    TEACHER = "teacher", _("Teacher")
    SPECIALIST = "specialist", _("Specialist")
    OTHER = "other", _("Other post")


class ProgrammeLevel(models.TextChoices):
    SECONDARY_VOCATIONAL = "sve", _("Secondary vocational")
    BACHELOR = "bachelor", _("Bachelor")
    SPECIALIST = "specialist", pgettext_lazy("programme level", "Specialist")
    MASTER = "master", _("Master")
    PHD = "phd", _("PhD / doctoral")
    ADDITIONAL = "additional", _("Additional education")


class StudyForm(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    DISTANCE = "distance", _("Distance")


class TeachingLanguage(models.TextChoices):
    KYRGYZ = "ky", _("Kyrgyz")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    KYRGYZ_RUSSIAN = "ky_ru", _("Kyrgyz and Russian")
    OTHER = "other", _("Other language")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    TOP_MANAGEMENT = "top_management", _("Rector / top management")
    QUALITY_DEPARTMENT = "quality_department", _("Education Quality Department")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_QUALITY = "unit_quality", _("Unit quality responsible")
    PROCESS_OWNER = "process_owner", _("Process owner")
    AUDITOR = "auditor", _("Internal auditor")
    STAFF = "staff", _("Staff member")
    EXPERT = "expert", _("External expert")
    ANALYST = "analyst", _("Analyst (ministry or agency)")


class SemesterKind(models.TextChoices):
    AUTUMN = "autumn", _("Autumn semester")
    SPRING = "spring", _("Spring semester")
    SUMMER = "summer", _("Summer term")
