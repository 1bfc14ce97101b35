from urja.domain.names import FUZZY_MIN, name_key, near_patterns, search_words


def test_common_misspellings_share_a_key():
    assert name_key("Ramesh") == name_key("Rammesh") == name_key("Ramess") == name_key("Rameesh")
    assert name_key("Shuresh") == name_key("Suresh")
    assert name_key("Verma") == name_key("Werma")
    assert name_key("Raampur") == name_key("Rampur")
    assert name_key("सूरेश") == name_key("सुरेश")
    assert name_key("शर्मा") == name_key("सरमा")


def test_different_names_keep_different_keys():
    assert name_key("Ramesh") != name_key("Suresh")
    assert name_key("Rampur") != name_key("Sitapur")


def test_search_words_drop_empty_keys():
    assert search_words("a Ramesh .") == [name_key("Ramesh")]


def test_near_patterns_start_at_a_word_and_allow_one_edit_only_for_long_keys():
    assert near_patterns("rms") == ["% rms%"]
    long = "rmpr"
    assert len(long) >= FUZZY_MIN
    patterns = near_patterns(long)
    assert "% rmpr%" in patterns and "% r_pr%" in patterns  # one different
    assert "% rpr%" in patterns  # one fewer
    assert "% rm_pr%" in patterns  # one more
    assert all(p.startswith("% ") for p in patterns)
