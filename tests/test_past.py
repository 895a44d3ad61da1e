"""`Past`, the append-only list an aggregate keeps its past facts in: loaded from a
snapshot its items are decoded when first read, and it behaves as the list it stands for.
(Moved out of test_write_snapshots.py, which the mutation run leaves out for its
slow simulated register, so that these fast checks guard domain/past.py there too.)"""

import pytest

from domain.past import Past


def test_past_behaves_as_the_list_it_stands_for():
    past = Past.stored([{"n": 1}, {"n": 2}], decode=lambda stored: stored["n"])
    past.append(3)
    copy = past.copy()
    copy.append(4)

    assert (len(past), past[-1], past[0], past[1:], list(past)) == (3, 3, 1, [2, 3], [1, 2, 3])
    assert list(copy) == [1, 2, 3, 4] and past == [1, 2, 3] and past != copy
    assert past.stored_form(lambda n: {"n": n}) == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert not Past() and Past() == []
    with pytest.raises(IndexError):
        Past()[-1]


def test_past_reads_a_pending_item_by_negative_index_after_later_appends():
    past = Past.stored([{"n": 1}, {"n": 2}], decode=lambda stored: stored["n"])
    past.append(3)

    assert (past[-2], past[-3]) == (2, 1)


def test_past_copies_and_pickles_as_the_list_it_stands_for_and_shows_it():
    import copy
    import pickle

    past = Past.stored([{"n": 1}], decode=lambda stored: stored["n"])
    past.append(2)

    assert pickle.loads(pickle.dumps(past)) == [1, 2] == copy.deepcopy(past)
    assert repr(past) == "Past([1, 2])"
