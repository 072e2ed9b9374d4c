from sla_core import normalize_circuit_ref


def test_one_form_for_one_circuit():
    for typed in ("cq-idl-100001", " CQ-IDL-100001 ", "Cq-Idl-100001\t"):
        assert normalize_circuit_ref(typed) == "CQ-IDL-100001"
    assert normalize_circuit_ref("cq  idl\u3000\n100002") == "CQ IDL 100002"


def test_empty_values_stay_empty():
    assert normalize_circuit_ref(False) is False
    assert normalize_circuit_ref(None) is None
    assert normalize_circuit_ref("   ") == ""


def test_normalising_twice_changes_nothing():
    once = normalize_circuit_ref("  a  b c ")
    assert normalize_circuit_ref(once) == once == "A B C"
